import { describe, expect, it } from "vitest";

import { buildSensorBody, type SensorView } from "@/lib/sensors/body";
import { formFromSensor, sensorChanges } from "@/lib/sensors/edit";

function view(overrides: Partial<SensorView>): SensorView {
  return {
    sensor_id: "x1",
    name: "feed",
    sensor_type: "polling",
    deployment_name: "refresh",
    flow_name: "refresh",
    flow_params: { mode: "full" },
    config: {},
    enabled: true,
    cursor: null,
    next_poll_epoch: null,
    last_triggered_at: null,
    created_at: null,
    updated_at: null,
    version: 1,
    ...overrides,
  };
}

describe("formFromSensor / sensorChanges", () => {
  it("gives a polling sensor's config back unchanged", () => {
    const config = { kind: "http", url: "https://example.com/e.json", interval_seconds: 300, jitter_seconds: 30, cursor_parameter: "version", fire_on_first: true, parameter_mapping: { file: "$.latest.path" } };
    const result = buildSensorBody(formFromSensor(view({ config })));
    expect(result.ok && sensorChanges(result.body, false)).toEqual({
      name: "feed",
      deployment_name: "refresh",
      flow_params: { mode: "full" },
      config,
    });
  });

  it("keeps a webhook's secret unless one is typed or it is removed", () => {
    const sensor = view({ sensor_type: "webhook", config: { signature_header: "X-Hub-Signature-256", max_payload_bytes: 262144, has_hmac_secret: true } });
    const values = formFromSensor(sensor);
    const kept = buildSensorBody(values);
    expect(kept.ok && sensorChanges(kept.body, false).config).toEqual({ signature_header: "X-Hub-Signature-256", max_payload_bytes: 262144 });
    expect(kept.ok && sensorChanges(kept.body, true).config).toMatchObject({ hmac_secret: null });
    const replaced = buildSensorBody({ ...values, hmacSecret: "new" });
    expect(replaced.ok && sensorChanges(replaced.body, false).config).toMatchObject({ hmac_secret: "new" });
  });
});
