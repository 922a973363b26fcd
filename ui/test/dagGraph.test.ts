import { describe, expect, it } from "vitest";

import {
  BIG_LAYOUT,
  buildDagModel,
  countsText,
  elkGraphInput,
  NODE_HEIGHT,
  NODE_WIDTH,
  nodeTitle,
  overallStatus,
  STATUS_LOOKS,
  sameState,
  statusLook,
  summarizeTaskRuns,
  type TaskRunLike,
} from "@/lib/dag/graph";
import { layoutKey, layoutSpec } from "@/lib/dag/layout";
import type { FlowSpecJson } from "@/lib/dag/types";

/** The demo flow's shape (examples/demo_flows.py): extract -> enrich.map, summarize -> load. */
const etl: FlowSpecJson = {
  name: "etl_pipeline",
  version: "1.0.0",
  parameters: [{ name: "source", type: "string", required: false, default: "demo", nullable: false }],
  tasks: [
    { id: "extract", name: "extract", function: "demo_flows.extract", upstream: [], mapped: false, retries: 2 },
    { id: "enrich", name: "enrich", upstream: ["extract"], mapped: true },
    { id: "summarize", name: "summarize", upstream: ["extract"], mapped: false },
    { id: "load", name: "load", upstream: ["summarize", "enrich"], mapped: false, timeout_seconds: 10 },
  ],
  edges: [["extract", "enrich"], ["extract", "summarize"], ["summarize", "load"], ["enrich", "load"]],
};

const tr = (task_id: string, status: string, attempt = 1, map_index: number | null = null): TaskRunLike => ({
  task_id, status, attempt, map_index, started_at: null,
});

describe("buildDagModel / elkGraphInput", () => {
  it("has one node per task and one edge per dependency, mapped tasks flagged", () => {
    const model = buildDagModel(etl);
    expect(model.nodes.map((n) => n.id)).toEqual(["extract", "enrich", "summarize", "load"]);
    expect(model.nodes.find((n) => n.id === "enrich")?.mapped).toBe(true);
    expect(model.nodes.find((n) => n.id === "load")?.mapped).toBe(false);
    expect(model.edges.map((e) => e.id)).toEqual([
      "extract->enrich", "extract->summarize", "summarize->load", "enrich->load",
    ]);
  });

  it("takes edges from `upstream` too, once each, and drops ones to unknown tasks", () => {
    const spec: FlowSpecJson = { ...etl, edges: [["extract", "enrich"], ["extract", "ghost"]] };
    const ids = buildDagModel(spec).edges.map((e) => e.id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    expect(ids).not.toContain("extract->ghost");
  });

  it("asks ELK for a layered layout, left to right, with fixed node sizes", () => {
    const input = elkGraphInput(buildDagModel(etl));
    expect(input.layoutOptions?.["elk.algorithm"]).toBe("layered");
    expect(input.layoutOptions?.["elk.direction"]).toBe("RIGHT");
    expect(input.children).toHaveLength(4);
    expect(input.children?.[0]).toEqual({ id: "extract", width: NODE_WIDTH, height: NODE_HEIGHT });
    expect(input.edges?.[3]).toEqual({ id: "enrich->load", sources: ["enrich"], targets: ["load"] });
    expect(input.layoutOptions?.["elk.layered.thoroughness"]).toBeUndefined();
  });

  it("lays big graphs out the quicker way", () => {
    const tasks = Array.from({ length: BIG_LAYOUT }, (_, i) => ({
      id: `t${i}`, name: `t${i}`, upstream: i ? [`t${i - 1}`] : [], mapped: false,
    }));
    const input = elkGraphInput(buildDagModel({ name: "big", parameters: [], tasks, edges: [] }));
    expect(input.edges).toHaveLength(BIG_LAYOUT - 1);
    expect(input.layoutOptions?.["elk.layered.thoroughness"]).toBe("1");
    expect(input.layoutOptions?.["elk.direction"]).toBe("RIGHT");
  });

  it("titles a mapped task as a group with its item count", () => {
    const [, enrich] = buildDagModel(etl).nodes;
    expect(nodeTitle(enrich!)).toBe("enrich ×N");
    expect(nodeTitle(enrich!, { status: "RUNNING", total: 10, counts: { RUNNING: 10 } })).toBe("enrich ×10");
    expect(nodeTitle({ label: "load", mapped: false })).toBe("load");
  });
});

describe("layout", () => {
  it("places each task left of its downstream tasks, once per spec shape", async () => {
    const layout = await layoutSpec(etl);
    const x = (id: string) => layout.positions[id]!.x;
    expect(x("extract")).toBeLessThan(x("enrich"));
    expect(x("summarize")).toBeLessThan(x("load"));
    expect(layout.width).toBeGreaterThan(0);
    // a refetched copy (new object, same shape) gets the same layout, not a new one
    const copy = JSON.parse(JSON.stringify(etl)) as FlowSpecJson;
    copy.tasks[0]!.retries = 5;
    expect(await layoutSpec(copy)).toBe(layout);
    expect(layoutKey(copy)).toBe(layoutKey(etl));
  });
});

describe("status looks", () => {
  it("has a colour and words for every task state and for not started", () => {
    for (const status of ["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "SKIPPED", "NOT_STARTED"]) {
      const look = STATUS_LOOKS[status]!;
      expect(look.text.length).toBeGreaterThan(0);
      expect(look.box).toMatch(/border-/);
      expect(look.fill).toMatch(/^#/);
    }
    expect(statusLook(undefined).text).toBe("not started");
    expect(statusLook("FAILED").text).toBe("failed");
    expect(statusLook("CANCELLING").text).toBe("cancelling"); // unknown: still its name
    expect(new Set(Object.values(STATUS_LOOKS).map((l) => l.fill)).size).toBe(6);
  });

  it("writes counts in a fixed order", () => {
    expect(countsText({ status: "RUNNING", total: 5, counts: { SUCCEEDED: 3, RUNNING: 1, FAILED: 1 } }))
      .toBe("1 failed, 1 running, 3 succeeded");
  });
});

describe("summarizeTaskRuns", () => {
  it("keeps the latest attempt of a retried task", () => {
    const states = summarizeTaskRuns([tr("extract", "FAILED", 1), tr("extract", "SUCCEEDED", 2)]);
    expect(states.extract).toEqual({ status: "SUCCEEDED", total: 1, counts: { SUCCEEDED: 1 } });
    // order does not matter
    expect(summarizeTaskRuns([tr("extract", "SUCCEEDED", 2), tr("extract", "FAILED", 1)]).extract?.status)
      .toBe("SUCCEEDED");
  });

  it("counts a mapped task's items, each at its latest attempt", () => {
    const states = summarizeTaskRuns([
      tr("enrich", "FAILED", 1, 0), tr("enrich", "SUCCEEDED", 2, 0),
      tr("enrich", "SUCCEEDED", 1, 1), tr("enrich", "RUNNING", 1, 2), tr("enrich", "PENDING", 1, 3),
    ]);
    expect(states.enrich).toEqual({ status: "RUNNING", total: 4, counts: { SUCCEEDED: 2, RUNNING: 1, PENDING: 1 } });
  });

  it("ignores a mapped task's node record once it has items", () => {
    const states = summarizeTaskRuns([tr("enrich", "PENDING", 0, null), tr("enrich", "SUCCEEDED", 1, 0)]);
    expect(states.enrich).toEqual({ status: "SUCCEEDED", total: 1, counts: { SUCCEEDED: 1 } });
    // skipped before expanding: only the node record
    expect(summarizeTaskRuns([tr("enrich", "SKIPPED", 0, null)]).enrich?.status).toBe("SKIPPED");
  });

  it("is FAILED when any item failed, even while others run", () => {
    const states = summarizeTaskRuns([tr("m", "FAILED", 3, 0), tr("m", "RUNNING", 1, 1), tr("m", "SUCCEEDED", 1, 2)]);
    expect(states.m?.status).toBe("FAILED");
  });

  it("leaves tasks without task runs out (drawn as not started)", () => {
    expect(Object.keys(summarizeTaskRuns([tr("extract", "RUNNING")]))).toEqual(["extract"]);
  });

  it("follows the documented rule", () => {
    expect(overallStatus({})).toBe("NOT_STARTED");
    expect(overallStatus({ PENDING: 3 })).toBe("PENDING");
    expect(overallStatus({ PENDING: 1, SUCCEEDED: 2 })).toBe("RUNNING");
    expect(overallStatus({ SKIPPED: 2 })).toBe("SKIPPED");
    expect(overallStatus({ SKIPPED: 1, SUCCEEDED: 1 })).toBe("SUCCEEDED");
    expect(overallStatus({ SUCCEEDED: 1, FAILED: 1 })).toBe("FAILED");
  });

  it("tells when a state draws the same", () => {
    const a = { status: "RUNNING", total: 2, counts: { RUNNING: 1, SUCCEEDED: 1 } };
    expect(sameState(a, { ...a, counts: { SUCCEEDED: 1, RUNNING: 1 } })).toBe(true);
    expect(sameState(a, { ...a, counts: { RUNNING: 2 } })).toBe(false);
    expect(sameState(undefined, undefined)).toBe(true);
    expect(sameState(a, undefined)).toBe(false);
  });
});
