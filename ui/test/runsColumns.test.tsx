import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import type { RunView } from "@/api/client";
import { RunsTable } from "@/components/RunsTable";
import { deploymentHref, tierExecutor, triggerSource } from "@/lib/runs/columns";

const run = (over: Partial<RunView> & Record<string, unknown>): RunView => ({
  run_id: "r1", run_slug: null, flow_name: "etl_pipeline", flow_version: "1.2.0",
  deployment_name: "etl demo", status: "SUCCEEDED", parameters: {}, result: null,
  error_message: null, executor: "local", external_id: null, runtime_tier: "standard",
  created_at: "2026-12-02T15:04:00.000000Z", started_at: "2026-12-02T15:04:05.000000Z",
  completed_at: "2026-12-02T15:04:06.500000Z", ...over,
} as RunView);

describe("runs table columns", () => {
  it("joins tier and executor, either alone, or a dash", () => {
    expect(tierExecutor(run({}))).toBe("standard / local");
    expect(tierExecutor(run({ executor: null }))).toBe("standard");
    expect(tierExecutor(run({ runtime_tier: null }))).toBe("local");
    expect(tierExecutor(run({ runtime_tier: null, executor: null }))).toBe("—");
  });

  it("shows the trigger source when the server sends it", () => {
    expect(triggerSource(run({ trigger_source: "schedule" }))).toBe("schedule");
    expect(triggerSource(run({}))).toBe("—");
    expect(triggerSource(run({ trigger_source: null }))).toBe("—");
  });

  it("links a deployment to its detail page by query parameter", () => {
    expect(deploymentHref("etl demo")).toBe("/deployments/detail/?name=etl%20demo");
  });

  it("renders the new columns", () => {
    const html = renderToStaticMarkup(
      <RunsTable now={0} runs={[run({ trigger_source: "backfill" }), run({ run_id: "r2", deployment_name: null })]} />);
    for (const header of ["Tier / executor", "Trigger"]) expect(html).toContain(`>${header}</th>`);
    // outside a Next build Link drops the trailing slash the app's config keeps
    expect(html).toMatch(/href="\/deployments\/detail\/?\?name=etl%20demo"/);
    expect(html).toContain("standard / local");
    expect(html).toContain(">backfill</td>");
    expect(html).toContain("1.5 s");
  });
});
