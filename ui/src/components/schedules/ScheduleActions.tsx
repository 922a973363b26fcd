"use client";

/** A schedule's actions on its page, each shown only to roles that hold its permission:
 * Enable/Disable and Delete (schedules:write), Run now (runs:trigger, POST
 * /schedules/{id}/run: one run with the schedule's parameters, outside its slots). */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";

import { api } from "@/api/client";
import { Button } from "@/components/Button";
import { ConfirmButton } from "@/components/ConfirmButton";
import { ErrorNote } from "@/components/ErrorNote";
import { messageOf, unwrap } from "@/lib/apiCall";
import { SCHEDULES_KEY } from "@/lib/schedules/queries";
import { can, useMe } from "@/lib/useMe";

import { ScheduleToggle } from "./ScheduleToggle";
import { runHref } from "@/lib/links";

export function ScheduleActions({ id, enabled }: { id: string; enabled: boolean }) {
  const me = useMe();
  const router = useRouter();
  const client = useQueryClient();
  const runNow = useMutation({
    mutationFn: () => unwrap(api.POST("/schedules/{schedule_id}/run", { params: { path: { schedule_id: id } } })),
  });
  const mayWrite = can(me.data, "schedules:write");
  const mayRun = can(me.data, "runs:trigger");
  if (!mayWrite && !mayRun) return null;

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-start gap-2">
        {mayWrite && <ScheduleToggle id={id} enabled={enabled} />}
        {mayRun && (
          <Button tone="primary" onClick={() => runNow.mutate()} disabled={runNow.isPending}>
            {runNow.isPending ? "Starting…" : "Run now"}
          </Button>
        )}
        {mayWrite && (
          <ConfirmButton
            label="Delete schedule"
            title="Delete this schedule?"
            tone="danger"
            confirmLabel="Delete"
            onConfirm={async () => {
              await unwrap(api.DELETE("/schedules/{schedule_id}", { params: { path: { schedule_id: id } } }));
              await client.invalidateQueries({ queryKey: SCHEDULES_KEY });
              router.push("/schedules/");
            }}
          >
            Its future slots will not fire and its recorded slots are deleted with it. Runs it started stay.
          </ConfirmButton>
        )}
      </div>
      <ErrorNote message={messageOf(runNow.error)} />
      {runNow.data && (
        <p role="status" className="text-sm text-green-800">
          Run started:{" "}
          <Link className="underline" href={runHref(runNow.data.run_id)}>
            {runNow.data.run_id}
          </Link>{" "}
          ({runNow.data.status})
        </p>
      )}
    </div>
  );
}
