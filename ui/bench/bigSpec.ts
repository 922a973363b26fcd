/** A big FlowSpec for measurements: `chains` chains of `length` tasks, each tenth step
 * also waiting on the neighbouring chain (fan-in), step 50 of each chain mapped. */

import type { FlowSpecJson, FlowSpecTask } from "../src/lib/dag/types";

export function bigSpec(chains = 10, length = 100): FlowSpecJson {
  const id = (chain: number, step: number) => `c${chain}_${step}`;
  const tasks: FlowSpecTask[] = [];
  const edges: [string, string][] = [];
  for (let chain = 0; chain < chains; chain++) {
    for (let step = 0; step < length; step++) {
      const upstream = step === 0 ? [] : [id(chain, step - 1)];
      if (step > 0 && step % 10 === 0 && chains > 1) upstream.push(id((chain + 1) % chains, step - 1)); // fan-in
      tasks.push({ id: id(chain, step), name: `step ${step} of chain ${chain}`, upstream, mapped: step === 50 });
      for (const up of upstream) edges.push([up, id(chain, step)]);
    }
  }
  return { name: "bench", parameters: [], tasks, edges };
}
