/** A flow version's parameters: name, type, required or its default. */

import type { FlowSpecParameter } from "@/lib/dag/types";

export function formatDefault(value: unknown): string {
  if (value === undefined) return "—";
  return JSON.stringify(value) ?? String(value);
}

export function FlowParameters({ parameters }: { parameters: FlowSpecParameter[] }) {
  if (parameters.length === 0) return <p className="text-sm text-slate-700">This flow takes no parameters.</p>;
  return (
    <table className="w-full border-collapse text-left text-sm">
      <caption className="mb-1 text-left font-semibold">Parameters</caption>
      <thead className="border-b border-slate-300 text-slate-600">
        <tr>
          <th scope="col" className="py-1 pr-4">Name</th>
          <th scope="col" className="py-1 pr-4">Type</th>
          <th scope="col" className="py-1 pr-4">Required</th>
          <th scope="col" className="py-1 pr-4">Default</th>
        </tr>
      </thead>
      <tbody>
        {parameters.map((p) => (
          <tr key={p.name} className="border-b border-slate-200">
            <td className="py-1 pr-4 font-mono text-xs">{p.name}</td>
            <td className="py-1 pr-4">{p.type}{p.nullable ? " or null" : ""}</td>
            <td className="py-1 pr-4">{p.required ? "yes" : "no"}</td>
            <td className="py-1 pr-4 font-mono text-xs">{p.required ? "—" : formatDefault(p.default)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
