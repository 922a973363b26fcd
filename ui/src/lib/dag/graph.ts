/** A FlowSpec as a graph to draw: its nodes and edges, the ELK layout input, the
 * colours and words of each task state, and a run's task runs summarised per task.
 *
 * Pure functions (no React, no ELK run): the Flows pages and the run detail page draw
 * the same graph, and the rules here are unit-tested (test/dagGraph.test.ts). */

import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";

import type { FlowSpecJson, FlowSpecTask, TaskNodeState } from "./types";

/** Every node has the same box, so the layout never depends on state or text. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 56;

export type DagNode = {
  id: string;
  label: string;
  mapped: boolean;
  task: FlowSpecTask;
};

export type DagEdge = { id: string; source: string; target: string };

export type DagModel = { nodes: DagNode[]; edges: DagEdge[] };

/** One node per task; the edges of spec.edges plus each task's `upstream` (the API
 * writes both; older documents may carry only one), once each, between known tasks. */
export function buildDagModel(spec: FlowSpecJson): DagModel {
  const nodes = spec.tasks.map((task) => ({ id: task.id, label: task.name || task.id, mapped: !!task.mapped, task }));
  const known = new Set(nodes.map((node) => node.id));
  const seen = new Set<string>();
  const edges: DagEdge[] = [];
  const add = (source: string, target: string) => {
    const id = `${source}->${target}`;
    if (seen.has(id) || !known.has(source) || !known.has(target) || source === target) return;
    seen.add(id);
    edges.push({ id, source, target });
  };
  for (const edge of spec.edges ?? []) add(edge[0], edge[1]);
  for (const task of spec.tasks) for (const up of task.upstream ?? []) add(up, task.id);
  return { nodes, edges };
}

/** The layout options: layered (Sugiyama), left to right. Only node positions are
 * used (the renderer draws its own edges), so ELK routes edges the cheap way. */
export const ELK_LAYOUT_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.edgeRouting": "POLYLINE",
  "elk.spacing.nodeNode": "24",
  "elk.layered.spacing.nodeNodeBetweenLayers": "64",
  "elk.spacing.componentComponent": "40",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.separateConnectedComponents": "true",
};

/** From this many tasks on, ELK trades some crossing reduction for time: at 1,000
 * tasks these halve the layout time (bench/graph-layout.ts). */
export const BIG_LAYOUT = 300;
export const ELK_BIG_LAYOUT_OPTIONS: Record<string, string> = {
  "elk.layered.thoroughness": "1",
  "elk.layered.layering.strategy": "LONGEST_PATH",
  "elk.layered.crossingMinimization.greedySwitch.type": "OFF",
};

/** The ELK graph of a model: fixed-size children, one edge per dependency. */
export function elkGraphInput(model: DagModel): ElkNode {
  const children: ElkNode[] = model.nodes.map((node) => ({ id: node.id, width: NODE_WIDTH, height: NODE_HEIGHT }));
  const edges: ElkExtendedEdge[] = model.edges.map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] }));
  const big = model.nodes.length >= BIG_LAYOUT ? ELK_BIG_LAYOUT_OPTIONS : {};
  return { id: "root", layoutOptions: { ...ELK_LAYOUT_OPTIONS, ...big }, children, edges };
}

/** "extract", or "enrich ×10" for a mapped task whose run has 10 items ("enrich ×N"
 * before a run says how many). */
export function nodeTitle(node: Pick<DagNode, "label" | "mapped">, state?: TaskNodeState): string {
  if (!node.mapped) return node.label;
  return `${node.label} ×${state ? state.total : "N"}`;
}

/** The key of a node without any task run yet in the run shown. */
export const NOT_STARTED = "NOT_STARTED";

export type StatusLook = {
  /** the words shown next to the colour: colour is never the only signal */
  text: string;
  /** Tailwind classes of the node box (background, border, text) */
  box: string;
  /** Tailwind classes of the small status badge inside the node */
  badge: string;
  /** the MiniMap's fill (a CSS colour; the MiniMap takes no classes) */
  fill: string;
};

export const STATUS_LOOKS: Record<string, StatusLook> = {
  [NOT_STARTED]: { text: "not started", box: "border-dashed border-slate-400 bg-white text-slate-800", badge: "bg-slate-100 text-slate-700", fill: "#e2e8f0" },
  PENDING: { text: "pending", box: "border-slate-500 bg-slate-50 text-slate-900", badge: "bg-slate-200 text-slate-800", fill: "#94a3b8" },
  RUNNING: { text: "running", box: "border-blue-600 bg-blue-50 text-slate-900", badge: "bg-blue-100 text-blue-800", fill: "#2563eb" },
  SUCCEEDED: { text: "succeeded", box: "border-green-700 bg-green-50 text-slate-900", badge: "bg-green-100 text-green-800", fill: "#15803d" },
  FAILED: { text: "failed", box: "border-red-700 bg-red-50 text-slate-900", badge: "bg-red-100 text-red-800", fill: "#b91c1c" },
  SKIPPED: { text: "skipped", box: "border-amber-600 bg-amber-50 text-slate-900", badge: "bg-amber-100 text-amber-900", fill: "#d97706" },
};

/** The look of a state; an unknown status still shows its own name. */
export function statusLook(status: string | null | undefined): StatusLook {
  const key = status ?? NOT_STARTED;
  return STATUS_LOOKS[key] ?? { ...STATUS_LOOKS[NOT_STARTED]!, text: key.toLowerCase() };
}

/** "3 succeeded, 1 running" for a mapped node, in a fixed order. */
export function countsText(state: TaskNodeState): string {
  const order = ["FAILED", "RUNNING", "PENDING", "SUCCEEDED", "SKIPPED"];
  const keys = [...order, ...Object.keys(state.counts).filter((k) => !order.includes(k)).sort()];
  return keys
    .filter((k) => (state.counts[k] ?? 0) > 0)
    .map((k) => `${state.counts[k]} ${statusLook(k).text}`)
    .join(", ");
}

/** The fields of a TaskRunView (GET /runs/{id}/task-runs) the summary reads. */
export type TaskRunLike = {
  task_id: string;
  status: string;
  attempt: number;
  map_index: number | null;
  started_at?: string | null;
};

const DONE = new Set(["SUCCEEDED", "SKIPPED"]);

/** The overall status of a task's items (each already its latest attempt):
 * - FAILED if any item failed;
 * - RUNNING if any item runs, or some are pending while others are done (the task is
 *   under way: a mapped task between items, or a retry waiting its delay);
 * - PENDING if every item is pending;
 * - SKIPPED if every item was skipped;
 * - SUCCEEDED if every item is done and at least one succeeded;
 * - otherwise (a status this UI does not know) the most common one. */
export function overallStatus(counts: Record<string, number>): string {
  const n = (k: string) => counts[k] ?? 0;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total === 0) return NOT_STARTED;
  if (n("FAILED") > 0) return "FAILED";
  const done = n("SUCCEEDED") + n("SKIPPED");
  if (n("RUNNING") > 0 || (n("PENDING") > 0 && done > 0)) return "RUNNING";
  if (n("PENDING") === total) return "PENDING";
  if (n("SKIPPED") === total) return "SKIPPED";
  if (done === total) return "SUCCEEDED";
  return Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![0];
}

function later(a: TaskRunLike, b: TaskRunLike): boolean {
  if (a.attempt !== b.attempt) return a.attempt > b.attempt;
  return (a.started_at ?? "") >= (b.started_at ?? ""); // same attempt: the later one (or the later in the list)
}

/** A run's task runs as one state per task id.
 *
 * Only the latest attempt of each (task_id, map_index) counts (the highest `attempt`;
 * on a tie the later started, then the later in the list). A mapped task's items are the
 * runs with a map_index; its record without one (kept when the task is skipped or
 * fails before expanding) counts only when it has no items. Tasks with no task run are
 * absent: the graph draws them "not started". */
export function summarizeTaskRuns(taskRuns: readonly TaskRunLike[]): Record<string, TaskNodeState> {
  const latest = new Map<string, Map<string, TaskRunLike>>(); // task -> item key -> run
  for (const tr of taskRuns) {
    const items = latest.get(tr.task_id) ?? new Map<string, TaskRunLike>();
    latest.set(tr.task_id, items);
    const key = tr.map_index === null || tr.map_index === undefined ? "node" : String(tr.map_index);
    const seen = items.get(key);
    if (!seen || later(tr, seen)) items.set(key, tr);
  }
  const states: Record<string, TaskNodeState> = {};
  for (const [taskId, items] of latest) {
    if (items.size > 1) items.delete("node");
    const counts: Record<string, number> = {};
    for (const tr of items.values()) counts[tr.status] = (counts[tr.status] ?? 0) + 1;
    states[taskId] = { status: overallStatus(counts), total: items.size, counts };
  }
  return states;
}

/** Whether two states draw the same (so a node keeps its object and is not redrawn). */
export function sameState(a: TaskNodeState | undefined, b: TaskNodeState | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.status !== b.status || a.total !== b.total) return false;
  const keys = Object.keys(a.counts);
  if (keys.length !== Object.keys(b.counts).length) return false;
  return keys.every((k) => a.counts[k] === b.counts[k]);
}
