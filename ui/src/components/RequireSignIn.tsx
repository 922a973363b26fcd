"use client";

/** Renders its children only with credentials; otherwise goes to the sign-in page. */

import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";

import { loadCredentials } from "@/auth/credentials";

export function RequireSignIn({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (loadCredentials()) setReady(true);
    else router.replace("/login/");
  }, [router]);
  return ready ? <>{children}</> : null;
}
