/** The facts of one thing on its detail page (a schedule, a sensor, a deployment): a
 * definition list of term and value, the terms in a column beside the values on wide
 * screens. One markup for every detail page's facts. */

import type { ReactNode } from "react";

export type Fact = [term: string, value: ReactNode];

export const FACT_LIST_CLASS =
  "grid grid-cols-1 gap-x-6 gap-y-2 rounded border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_1fr]";

/** One term and its value, inside a <dl>. */
export function FactItem({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="font-medium text-slate-700">{term}</dt>
      <dd className="text-slate-900">{children}</dd>
    </>
  );
}

export function FactList({ facts, className = FACT_LIST_CLASS }: { facts: Fact[]; className?: string }) {
  return (
    <dl className={className}>
      {facts.map(([term, value]) => (
        <div key={term} className="contents">
          <FactItem term={term}>{value}</FactItem>
        </div>
      ))}
    </dl>
  );
}
