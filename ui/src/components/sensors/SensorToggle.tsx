"use client";

/** Enable or disable one sensor (POST /sensors/{id}/enable | /disable), for roles with
 * sensors:write; the lists refetch after. */

import { useMutation, useQueryClient } from "@tanstack/react-query";

import { api } from "@/api/client";
import { Button } from "@/components/Button";
import { ErrorNote } from "@/components/ErrorNote";
import { messageOf, unwrap } from "@/lib/apiCall";
import { SENSORS_KEY } from "@/lib/sensors/queries";

export function SensorToggle({ id, enabled, label }: { id: string; enabled: boolean; label?: string }) {
  const client = useQueryClient();
  const toggle = useMutation({
    mutationFn: () =>
      unwrap(
        enabled
          ? api.POST("/sensors/{sensor_id}/disable", { params: { path: { sensor_id: id } } })
          : api.POST("/sensors/{sensor_id}/enable", { params: { path: { sensor_id: id } } }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: SENSORS_KEY }),
  });
  const verb = enabled ? "Disable" : "Enable";
  return (
    <div className="flex flex-col gap-1">
      <Button onClick={() => toggle.mutate()} disabled={toggle.isPending} aria-label={label ? `${verb} ${label}` : undefined}>
        {toggle.isPending ? "Working…" : verb}
      </Button>
      <ErrorNote message={messageOf(toggle.error)} />
    </div>
  );
}
