"use client";

/** Pause or Resume a deployment (POST /deployments/{name}/pause|resume), for roles
 * holding deployments:operate. The API refuses new runs of a paused deployment
 * until it is resumed. */

import { Button } from "@/components/Button";
import { ErrorNote } from "@/components/ErrorNote";
import { messageOf } from "@/lib/apiCall";
import { usePauseResume, type DeploymentView } from "@/lib/deployments/queries";

export function PauseResume({ deployment }: { deployment: DeploymentView }) {
  const mutation = usePauseResume(deployment.deployment_name);
  const paused = deployment.status === "PAUSED";
  return (
    <div className="flex flex-col items-end gap-1">
      <Button disabled={mutation.isPending} onClick={() => mutation.mutate(paused ? "resume" : "pause")}>
        {mutation.isPending ? "Working…" : paused ? "Resume" : "Pause"}
      </Button>
      <ErrorNote message={messageOf(mutation.error)} />
    </div>
  );
}
