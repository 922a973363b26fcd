/** Node positions of a flow's DAG from ELK (layered, left to right).
 *
 * ELK runs on the main thread (elk.bundled.js falls back to its in-page "fake worker"):
 * the server's CSP allows no worker-src, and the bundle needs no eval. A layout is
 * worked out once per spec *shape* (task ids and edges) and kept, so a run's live state
 * updates, a refetch of the same version or a remount never lay the graph out again. */

import type { ELK as Elk } from "elkjs/lib/elk-api";

import { buildDagModel, elkGraphInput, type DagModel } from "./graph";
import type { FlowSpecJson } from "./types";

export type Point = { x: number; y: number };

export type DagLayout = {
  model: DagModel;
  /** top-left corner of each node, by task id */
  positions: Record<string, Point>;
  width: number;
  height: number;
  /** how long ELK took, in milliseconds */
  elapsedMs: number;
};

let elk: Promise<Elk> | null = null;

/** ELK is loaded on first use (its own chunk, ~1.4 MB before minifying), so pages load
 * without it and every graph shares one instance. */
function engine(): Promise<Elk> {
  elk ??= import("elkjs/lib/elk.bundled.js").then(({ default: ELK }) => new ELK());
  return elk;
}

/** The spec's shape: what the layout depends on (not names, not task options). */
export function layoutKey(spec: FlowSpecJson): string {
  const { nodes, edges } = buildDagModel(spec);
  return `${nodes.map((n) => n.id).join("\u0001")}\u0002${edges.map((e) => e.id).join("\u0001")}`;
}

/** Lay a model out now (no cache). */
export async function layoutModel(model: DagModel): Promise<DagLayout> {
  const elkEngine = await engine();
  const started = performance.now();
  const graph = await elkEngine.layout(elkGraphInput(model));
  const positions: Record<string, Point> = {};
  for (const child of graph.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
  return { model, positions, width: graph.width ?? 0, height: graph.height ?? 0, elapsedMs: performance.now() - started };
}

const MAX_KEPT = 16;
const kept = new Map<string, Promise<DagLayout>>();

/** The layout of a spec, worked out once per shape (the last 16 shapes are kept). */
export function layoutSpec(spec: FlowSpecJson): Promise<DagLayout> {
  const key = layoutKey(spec);
  const hit = kept.get(key);
  if (hit) {
    kept.delete(key); // most recently used last
    kept.set(key, hit);
    return hit;
  }
  const model = buildDagModel(spec);
  const pending = layoutModel(model).catch((error: unknown) => {
    kept.delete(key); // a failure is not kept: the next mount tries again
    throw error;
  });
  kept.set(key, pending);
  while (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value as string);
  return pending;
}
