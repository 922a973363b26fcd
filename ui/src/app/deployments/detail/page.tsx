"use client";

/** /deployments/detail/?name=<deployment>: one deployment (a query parameter, since a
 * static export cannot have unknown path segments). */

import { useSearchParams } from "next/navigation";
import { Suspense } from "react";

import { DeploymentDetail } from "@/components/deployments/DeploymentDetail";

function Detail() {
  const name = useSearchParams().get("name") ?? "";
  return <DeploymentDetail name={name} />;
}

export default function DeploymentDetailPage() {
  return (
    <Suspense fallback={null}>
      <Detail />
    </Suspense>
  );
}
