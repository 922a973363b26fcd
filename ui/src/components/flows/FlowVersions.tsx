/** Every registered version of a flow (newest first), each a link to its own view;
 * the one shown is marked (aria-current and the words "shown"). */

import Link from "next/link";

import { formatTime } from "@/lib/format";
import { flowHref, type FlowDetail } from "@/lib/useFlows";

export function FlowVersions({ flow, shown }: { flow: FlowDetail; shown: string }) {
  const versions = [...flow.versions].reverse();
  return (
    <table className="w-full border-collapse text-left text-sm">
      <caption className="mb-1 text-left font-semibold">Versions</caption>
      <thead className="border-b border-slate-300 text-slate-600">
        <tr>
          <th scope="col" className="py-1 pr-4">Version</th>
          <th scope="col" className="py-1 pr-4">Status</th>
          <th scope="col" className="py-1 pr-4">Code hash</th>
          <th scope="col" className="py-1 pr-4">Registered</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((version) => {
          const current = version.flow_version === shown;
          return (
            <tr key={version.flow_version} className={`border-b border-slate-200 ${current ? "bg-blue-50" : ""}`}>
              <td className="py-1 pr-4 font-mono text-xs">
                <Link
                  href={flowHref(flow.flow_name, version.flow_version)}
                  aria-current={current ? "page" : undefined}
                  className={`text-blue-800 hover:underline ${current ? "font-bold" : ""}`}
                >
                  {version.flow_version}
                </Link>
                {current && <span className="ml-2 font-sans text-slate-700">(shown)</span>}
                {version.flow_version === flow.latest_version && (
                  <span className="ml-2 font-sans text-slate-700">latest</span>
                )}
              </td>
              <td className="py-1 pr-4">{version.status}</td>
              <td className="py-1 pr-4 font-mono text-xs" title={version.code_hash}>{version.code_hash.slice(0, 12)}</td>
              <td className="py-1 pr-4">{formatTime(version.created_at)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
