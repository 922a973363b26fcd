"use client";

/** Enable or disable one schedule (POST /schedules/{id}/enable | /disable), for roles
 * with schedules:write; the lists refetch after. The API's refusal shows beside it. */

import { api } from "@/api/client";
import { EnableToggle } from "@/components/EnableToggle";
import { unwrap } from "@/lib/apiCall";
import { SCHEDULES_KEY } from "@/lib/schedules/queries";

export function ScheduleToggle({ id, enabled, label }: { id: string; enabled: boolean; label?: string }) {
  const path = { params: { path: { schedule_id: id } } };
  return (
    <EnableToggle
      enabled={enabled}
      label={label}
      queryKey={SCHEDULES_KEY}
      setEnabled={(enable) =>
        unwrap(enable ? api.POST("/schedules/{schedule_id}/enable", path) : api.POST("/schedules/{schedule_id}/disable", path))
      }
    />
  );
}
