"use client";

/** The Sensors page's "New sensor" action, shown only to roles with sensors:write. */

import Link from "next/link";

import { can, useMe } from "@/lib/useMe";

export function NewSensorLink() {
  const me = useMe();
  if (!can(me.data, "sensors:write")) return null;
  return (
    <Link
      href="/sensors/new/"
      className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500 focus-visible:ring-offset-1"
    >
      New sensor
    </Link>
  );
}
