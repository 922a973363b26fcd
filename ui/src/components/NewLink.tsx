"use client";

/** A list page's "New …" action (New schedule, New sensor): a link styled as the primary
 * button, shown only to roles holding `permission`. */

import Link from "next/link";
import type { ReactNode } from "react";

import { can, useMe } from "@/lib/useMe";

export function NewLink({ href, permission, children }: { href: string; permission: string; children: ReactNode }) {
  const me = useMe();
  if (!can(me.data, permission)) return null;
  return (
    <Link
      href={href}
      className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500 focus-visible:ring-offset-1"
    >
      {children}
    </Link>
  );
}
