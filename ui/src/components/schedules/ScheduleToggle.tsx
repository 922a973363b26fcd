"use client";

/** Enable or disable one schedule (POST /schedules/{id}/enable | /disable), for roles
 * with schedules:write; the lists refetch after. The API's refusal shows beside it. */

import { useMutation, useQueryClient } from "@tanstack/react-query";

import { api } from "@/api/client";
import { Button } from "@/components/Button";
import { ErrorNote } from "@/components/ErrorNote";
import { messageOf, unwrap } from "@/lib/apiCall";
import { SCHEDULES_KEY } from "@/lib/schedules/queries";

export function ScheduleToggle({ id, enabled, label }: { id: string; enabled: boolean; label?: string }) {
  const client = useQueryClient();
  const toggle = useMutation({
    mutationFn: () =>
      unwrap(
        enabled
          ? api.POST("/schedules/{schedule_id}/disable", { params: { path: { schedule_id: id } } })
          : api.POST("/schedules/{schedule_id}/enable", { params: { path: { schedule_id: id } } }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: SCHEDULES_KEY }),
  });
  const verb = enabled ? "Disable" : "Enable";
  return (
    <div className="flex flex-col gap-1">
      <Button
        onClick={() => toggle.mutate()}
        disabled={toggle.isPending}
        aria-label={label ? `${verb} ${label}` : undefined}
      >
        {toggle.isPending ? "Working…" : verb}
      </Button>
      <ErrorNote message={messageOf(toggle.error)} />
    </div>
  );
}
