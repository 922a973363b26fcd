/** A flow's parameter schema as a table: name, type, required, default, nullable
 * (FlowSpec parameters), and what this deployment sets each to. */

import type { FlowSpecParameter } from "@/lib/dag/types";
import { formatValue } from "@/lib/deployments/format";

export function ParametersTable({
  parameters,
  deploymentParameters,
}: {
  parameters: FlowSpecParameter[];
  deploymentParameters: Record<string, unknown>;
}) {
  if (parameters.length === 0) return <p className="text-sm text-slate-700">This flow takes no parameters.</p>;
  const th = "py-2 pr-4";
  return (
    <table className="w-full border-collapse text-left text-sm">
      <caption className="sr-only">Parameters of the flow</caption>
      <thead className="border-b border-slate-300 text-slate-600">
        <tr>
          <th scope="col" className={th}>Name</th>
          <th scope="col" className={th}>Type</th>
          <th scope="col" className={th}>Required</th>
          <th scope="col" className={th}>Default</th>
          <th scope="col" className={th}>Nullable</th>
          <th scope="col" className={th}>This deployment</th>
        </tr>
      </thead>
      <tbody>
        {parameters.map((p) => (
          <tr key={p.name} className="border-b border-slate-200">
            <th scope="row" className="py-2 pr-4 font-mono text-xs font-medium">{p.name}</th>
            <td className="py-2 pr-4">{p.type}</td>
            <td className="py-2 pr-4">{p.required ? "Yes" : "No"}</td>
            <td className="py-2 pr-4 font-mono text-xs">{p.required ? "—" : formatValue(p.default)}</td>
            <td className="py-2 pr-4">{p.nullable ? "Yes" : "No"}</td>
            <td className="py-2 pr-4 font-mono text-xs">
              {Object.prototype.hasOwnProperty.call(deploymentParameters, p.name)
                ? formatValue(deploymentParameters[p.name])
                : "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
