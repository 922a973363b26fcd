import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import type { RunView } from "@/api/client";
import { RunHeader } from "@/components/run/RunHeader";
import { RunNotFound } from "@/components/run/RunNotFound";
import { RunTimeline } from "@/components/run/RunTimeline";
import { RunsTable } from "@/components/RunsTable";
import type { TaskRun } from "@/lib/run/taskRuns";

const run = (over: Partial<RunView> & Record<string, unknown>): RunView => ({
  run_id: "abc123def4567890", run_slug: "bold-gazelle-a40a", flow_name: "etl_pipeline", flow_version: "1.0.0",
  deployment_name: "etl demo", status: "FAILED", parameters: { rows: 10 }, result: null,
  error_message: "task 'extract' failed", executor: "local", external_id: null, runtime_tier: "small",
  created_at: "2026-12-02T15:04:00.000000Z", started_at: "2026-12-02T15:04:05.000000Z",
  completed_at: "2026-12-02T15:04:07.000000Z", ...over,
} as RunView);

describe("run detail views", () => {
  it("links each run of the runs table to its detail page", () => {
    const html = renderToStaticMarkup(<RunsTable now={0} runs={[run({}), run({ run_id: "ffff0000ffff0000x", run_slug: null })]} />);
    expect(html).toContain(">Run</th>");
    expect(html).toMatch(/href="\/runs\/detail\/?\?id=abc123def4567890"/);
    expect(html).toContain(">bold-gazelle-a40a</a>");
    expect(html).toContain(">ffff0000ffff</a>"); // no slug: the id's start
  });

  it("shows the header's facts, and fields a newer API adds only when present", () => {
    const now = Date.parse("2026-12-02T15:05:00.000Z");
    const plain = renderToStaticMarkup(<RunHeader run={run({})} now={now} />);
    expect(plain).toContain("FAILED");
    expect(plain).toContain("small / local");
    expect(plain).toContain("2.0 s");
    expect(plain).toContain("task &#x27;extract&#x27; failed");
    expect(plain).toMatch(/href="\/deployments\/detail\/?\?name=etl%20demo"/);
    expect(plain).not.toContain("Routing");
    expect(plain).not.toContain("Trigger source"); // shown as "Trigger", not again as an extra
    expect(renderToStaticMarkup(<RunHeader run={run({ trigger_source: "schedule" })} now={now} />)).toContain(">schedule</dd>");
    const newer = renderToStaticMarkup(<RunHeader run={run({ routing: "gpu-pool", cost_estimate: { usd: 1.5 } })} now={now} />);
    expect(newer).toContain(">Routing</dt>");
    expect(newer).toContain("gpu-pool");
    expect(newer).toContain(">Cost estimate</dt>");
  });

  it("draws the timeline with status words and no inline style in the markup (CSP style-src 'self')", () => {
    const taskRuns = [{
      task_run_id: "r.extract", run_id: "r", task_id: "extract", task_name: "extract", status: "SUCCEEDED",
      attempt: 1, map_index: null, executor: null, started_at: "2026-12-02T15:04:05.000000Z",
      completed_at: "2026-12-02T15:04:06.000000Z", error_message: null, output_ref: null, error_traceback: null,
    } satisfies TaskRun];
    const html = renderToStaticMarkup(
      <RunTimeline startedAt="2026-12-02T15:04:05.000000Z" completedAt="2026-12-02T15:04:07.000000Z" taskRuns={taskRuns} now={0} />);
    expect(html).toContain('data-timeline-row="r.extract"');
    expect(html).toContain(">SUCCEEDED</span>");
    expect(html).toContain("1.0 s");
    expect(html).not.toContain("style=");
    expect(html).toContain('scope="col"');
  });

  it("offers a way back to the runs list for an unknown run", () => {
    const html = renderToStaticMarkup(<RunNotFound runId="nope" />);
    expect(html).toContain("No such run");
    expect(html).toContain("nope");
    expect(html).toMatch(/href="\/runs\/?"/);
  });
});
