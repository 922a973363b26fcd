"use client";

/** Cancel (a QUEUED or RUNNING run) and "Retry failed tasks" (a FAILED or CANCELLED
 * one), each behind a confirmation; shown only to a role holding runs:manage (the API
 * refuses others anyway). The page's queries refetch after either. */

import { useQueryClient } from "@tanstack/react-query";

import type { RunView } from "@/api/client";
import { can, useMe } from "@/lib/useMe";
import { canCancel, canRetryFailed } from "@/lib/run/status";
import { cancelRun, retryRun, runKey } from "@/lib/run/useRunDetail";

import { ConfirmButton } from "../ConfirmButton";

export const MANAGE_RUNS = "runs:manage";

export function RunActions({ run }: { run: RunView }) {
  const me = useMe();
  const client = useQueryClient();
  if (!can(me.data, MANAGE_RUNS)) return null;
  const refetch = () => client.invalidateQueries({ queryKey: runKey(run.run_id) });

  return (
    <>
      {canCancel(run.status) && (
        <ConfirmButton
          label="Cancel run"
          title="Cancel this run?"
          confirmLabel="Cancel run"
          tone="danger"
          onConfirm={async () => {
            await cancelRun(run.run_id);
            await refetch();
          }}
        >
          The run is marked cancelled at once and its executor starts no further task (a task
          already running is not interrupted). A cancelled run can be retried later.
        </ConfirmButton>
      )}
      {canRetryFailed(run.status) && (
        <ConfirmButton
          label="Retry failed tasks"
          title="Retry the failed tasks?"
          confirmLabel="Retry"
          tone="primary"
          onConfirm={async () => {
            await retryRun(run.run_id);
            await refetch();
          }}
        >
          The run is queued again: tasks and mapped items that succeeded keep their results; the
          others run again.
        </ConfirmButton>
      )}
    </>
  );
}
