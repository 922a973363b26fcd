import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import type { RunView } from "@/api/client";
import { RunsTable } from "@/components/RunsTable";

const run = (over: Partial<RunView>): RunView => ({
  run_id: "r1", run_slug: null, flow_name: "etl_pipeline", flow_version: "1.2.0",
  deployment_name: "etl-demo", status: "RUNNING", parameters: {}, result: null,
  error_message: null, executor: null, external_id: null, runtime_tier: null,
  created_at: "2026-12-02T15:04:00.000000Z", started_at: "2026-12-02T15:04:05.000000Z",
  completed_at: null, ...over,
} as RunView);

describe("RunsTable", () => {
  it("shows status, deployment, flow version, started and duration per run", () => {
    const now = Date.parse("2026-12-02T15:04:17.000000Z");
    const html = renderToStaticMarkup(
      <RunsTable now={now} runs={[run({}), run({ run_id: "r2", status: "QUEUED", started_at: null,
        deployment_name: null })]} />);
    for (const header of ["Status", "Deployment", "Flow version", "Started", "Duration"]) {
      expect(html).toContain(`>${header}</th>`);
    }
    expect(html).toContain('data-run-id="r1"');
    expect(html).toContain("RUNNING");
    expect(html).toContain("etl-demo");
    expect(html).toContain("etl_pipeline 1.2.0");
    expect(html).toContain("12.0 s"); // running: counts up to now
    expect(html.match(/<tr /g)).toHaveLength(2);
    expect(html).toContain("QUEUED");
  });
});
