"use client";

/** Enable or disable one sensor (POST /sensors/{id}/enable | /disable), for roles with
 * sensors:write; the lists refetch after. The API's refusal shows beside it. */

import { api } from "@/api/client";
import { EnableToggle } from "@/components/EnableToggle";
import { unwrap } from "@/lib/apiCall";
import { SENSORS_KEY } from "@/lib/sensors/queries";

export function SensorToggle({ id, enabled, label }: { id: string; enabled: boolean; label?: string }) {
  const path = { params: { path: { sensor_id: id } } };
  return (
    <EnableToggle
      enabled={enabled}
      label={label}
      queryKey={SENSORS_KEY}
      setEnabled={(enable) =>
        unwrap(enable ? api.POST("/sensors/{sensor_id}/enable", path) : api.POST("/sensors/{sensor_id}/disable", path))
      }
    />
  );
}
