/** How long ELK takes to lay out a 1,000-task flow (10 chains of 100 with fan-in every
 * 10 steps), the median of 5 fresh layouts, plus a run's task runs summarised.
 *
 * Run: `cd ui && npx vite-node bench/graph-layout.ts` (optionally `-- <chains> <length>`).
 * ELK runs here as in the browser: the same bundle, in-process (no worker). */

import { buildDagModel, summarizeTaskRuns, type TaskRunLike } from "../src/lib/dag/graph";
import { layoutModel } from "../src/lib/dag/layout";

import { bigSpec } from "./bigSpec";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main() {
  const [chains, length] = process.argv.slice(2).map(Number);
  const spec = bigSpec(chains || 10, length || 100);
  const model = buildDagModel(spec);
  await layoutModel(buildDagModel(bigSpec(2, 5))); // load ELK once, outside the timings
  const times: number[] = [];
  const cpu: number[] = []; // on a busy machine the CPU time says more than the wall time
  for (let i = 0; i < 5; i++) {
    const before = process.cpuUsage();
    times.push((await layoutModel(model)).elapsedMs);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }

  const runs: TaskRunLike[] = spec.tasks.flatMap((task, i): TaskRunLike[] =>
    task.mapped
      ? Array.from({ length: 20 }, (_, item) => ({ task_id: task.id, status: item % 3 ? "SUCCEEDED" : "RUNNING", attempt: 1, map_index: item }))
      : [{ task_id: task.id, status: i % 7 ? "SUCCEEDED" : "FAILED", attempt: 1 + (i % 2), map_index: null }],
  );
  const started = performance.now();
  for (let i = 0; i < 20; i++) summarizeTaskRuns(runs);
  const summarize = (performance.now() - started) / 20;

  console.log(`tasks ${model.nodes.length}, edges ${model.edges.length}`);
  console.log(`ELK layout: median ${median(times).toFixed(0)} ms of 5 (${times.map((t) => t.toFixed(0)).join(", ")} ms)`);
  console.log(`  CPU time: median ${median(cpu).toFixed(0)} ms (${cpu.map((t) => t.toFixed(0)).join(", ")} ms); the first is a cold start`);
  console.log(`summarizeTaskRuns of ${runs.length} task runs: ${summarize.toFixed(2)} ms`);
}

void main();
