"use client";

/** Every signed-in page: the sign-in guard, the top bar, one <main> with the page's
 * heading and, beside it, the page's actions (buttons the caller's role allows). */

import type { ReactNode } from "react";

import { AppHeader } from "./AppHeader";
import { RequireSignIn } from "./RequireSignIn";

export function PageShell({
  title,
  actions,
  children,
}: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <RequireSignIn>
      <AppHeader />
      <main id="main" className="mx-auto max-w-6xl p-6">
        <div className="mb-4 flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold">{title}</h1>
          {actions && <div className="ml-auto flex gap-2">{actions}</div>}
        </div>
        {children}
      </main>
    </RequireSignIn>
  );
}
