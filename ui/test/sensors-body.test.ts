import { describe, expect, it } from "vitest";

import { buildSensorBody, describeSensor, EMPTY_SENSOR_FORM, webhookUrl } from "@/lib/sensors/body";

const base = { ...EMPTY_SENSOR_FORM, name: "on-upload", deploymentName: "etl-prod" };

describe("buildSensorBody", () => {
  it("makes a webhook body with only the keys that were filled in", () => {
    const result = buildSensorBody({
      ...base,
      flowParams: '{"mode": "full"}',
      parameterMapping: '{"source": "$.repository.name"}',
      hmacSecret: " s3cret ",
    });
    expect(result).toEqual({
      ok: true,
      body: {
        name: "on-upload",
        deployment_name: "etl-prod",
        sensor_type: "webhook",
        flow_params: { mode: "full" },
        config: { parameter_mapping: { source: "$.repository.name" }, hmac_secret: " s3cret " },
        enabled: true,
      },
    });
  });

  it("makes an s3 body", () => {
    const result = buildSensorBody({ ...base, sensorType: "s3", bucket: "landing", prefix: "in/", suffix: ".csv", keyParameter: "key" });
    expect(result.ok && result.body.config).toEqual({ bucket: "landing", prefix: "in/", suffix: ".csv", key_parameter: "key" });
  });

  it("makes an http polling body with numbers and fire_on_first", () => {
    const result = buildSensorBody({
      ...base,
      sensorType: "polling",
      url: "https://example.com/export.json",
      intervalSeconds: "300",
      cursorParameter: "version",
      fireOnFirst: true,
    });
    expect(result.ok && result.body.config).toEqual({
      kind: "http",
      url: "https://example.com/export.json",
      interval_seconds: 300,
      cursor_parameter: "version",
      fire_on_first: true,
    });
  });

  it("makes an s3 polling body without the http keys", () => {
    const result = buildSensorBody({ ...base, sensorType: "polling", kind: "s3", bucket: "b", url: "ignored" });
    expect(result.ok && result.body.config).toEqual({ kind: "s3", bucket: "b" });
  });

  it("names what is missing or malformed", () => {
    const result = buildSensorBody({ ...EMPTY_SENSOR_FORM, sensorType: "polling", intervalSeconds: "5m", parameterMapping: '{"a": 1}', flowParams: "[]" });
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual(["deploymentName", "flowParams", "intervalSeconds", "name", "parameterMapping", "url"]);
    const s3 = buildSensorBody({ ...base, sensorType: "s3" });
    expect(!s3.ok && s3.errors.bucket).toBeTruthy();
  });
});

describe("webhookUrl / describeSensor", () => {
  it("joins the API origin and the answered path", () => {
    expect(webhookUrl("/hooks/abc", "", "http://127.0.0.1:8484")).toBe("http://127.0.0.1:8484/hooks/abc");
    expect(webhookUrl("/hooks/abc", "https://api.example.com/", "http://ui")).toBe("https://api.example.com/hooks/abc");
  });

  it("says what a sensor watches", () => {
    expect(describeSensor({ sensor_type: "webhook", config: { has_hmac_secret: true } })).toBe("POST /hooks/…, signed");
    expect(describeSensor({ sensor_type: "s3", config: { bucket: "landing", prefix: "in/", suffix: ".csv" } })).toBe("s3://landing/in/*.csv");
    expect(describeSensor({ sensor_type: "polling", config: { kind: "http", url: "https://x/y", interval_seconds: 60 } })).toBe("GET https://x/y, every 60 s");
  });
});
