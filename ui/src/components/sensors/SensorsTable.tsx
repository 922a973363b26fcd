/** One page of sensors: name, type, what it watches, deployment, enabled, last
 * triggered, its cursor and next poll; Enable/Disable where the role may. */

import Link from "next/link";

import { EnabledBadge } from "@/components/schedules/EnabledBadge";
import { describeSensor, type SensorView } from "@/lib/sensors/body";
import { formatUtc } from "@/lib/schedules/zoned";

import { SensorToggle } from "./SensorToggle";
import { sensorHref } from "@/lib/links";

function epochUtc(epoch: number | null): string {
  return epoch == null ? "—" : formatUtc(new Date(epoch * 1000).toISOString());
}

export function SensorsTable({ sensors, canWrite }: { sensors: SensorView[]; canWrite: boolean }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-left text-sm">
        <thead className="border-b border-slate-300 text-slate-600">
          <tr>
            <th scope="col" className="py-2 pr-4">Name</th>
            <th scope="col" className="py-2 pr-4">Type</th>
            <th scope="col" className="py-2 pr-4">Watches</th>
            <th scope="col" className="py-2 pr-4">Deployment</th>
            <th scope="col" className="py-2 pr-4">State</th>
            <th scope="col" className="py-2 pr-4">Last triggered (UTC)</th>
            <th scope="col" className="py-2 pr-4">Cursor / next poll</th>
            {canWrite && <th scope="col" className="py-2 pr-4">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {sensors.map((sensor) => (
            <tr key={sensor.sensor_id} className="border-b border-slate-200 align-top" data-sensor-id={sensor.sensor_id}>
              <td className="py-2 pr-4">
                <Link
                  className="font-medium text-blue-800 underline hover:text-blue-900"
                  href={sensorHref(sensor.sensor_id)}
                >
                  {sensor.name}
                </Link>
              </td>
              <td className="py-2 pr-4">{sensor.sensor_type}</td>
              <td className="py-2 pr-4 break-all font-mono text-xs">{describeSensor(sensor)}</td>
              <td className="py-2 pr-4">{sensor.deployment_name}</td>
              <td className="py-2 pr-4"><EnabledBadge enabled={sensor.enabled} /></td>
              <td className="py-2 pr-4">{formatUtc(sensor.last_triggered_at)}</td>
              <td className="py-2 pr-4">
                {sensor.sensor_type === "polling" ? (
                  <>
                    <span className="block break-all font-mono text-xs">{sensor.cursor ?? "no cursor yet"}</span>
                    <span className="block text-xs text-slate-600">next poll {epochUtc(sensor.next_poll_epoch)}</span>
                  </>
                ) : (
                  "—"
                )}
              </td>
              {canWrite && (
                <td className="py-2 pr-4">
                  <SensorToggle id={sensor.sensor_id} enabled={sensor.enabled} label={`sensor ${sensor.name}`} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
