"use client";

/** `/`: the runs page when signed in, else the sign-in page. */

import { useRouter } from "next/navigation";
import { useEffect } from "react";

import { loadCredentials } from "@/auth/credentials";

export default function Home() {
  const router = useRouter();
  useEffect(() => {
    router.replace(loadCredentials() ? "/runs/" : "/login/");
  }, [router]);
  return <p className="p-8 text-slate-500">Loading…</p>;
}
