/** The flows of one page: name (to its detail), namespace, latest version, tags, updated. */

import Link from "next/link";

import { formatTime } from "@/lib/format";
import { flowHref, type FlowView } from "@/lib/useFlows";

import { TagList } from "./TagList";

export function FlowsTable({ flows }: { flows: FlowView[] }) {
  return (
    <table className="w-full border-collapse text-left text-sm">
      <thead className="border-b border-slate-300 text-slate-600">
        <tr>
          <th scope="col" className="py-2 pr-4">Flow</th>
          <th scope="col" className="py-2 pr-4">Namespace</th>
          <th scope="col" className="py-2 pr-4">Latest version</th>
          <th scope="col" className="py-2 pr-4">Tags</th>
          <th scope="col" className="py-2 pr-4">Updated</th>
        </tr>
      </thead>
      <tbody>
        {flows.map((flow) => (
          <tr key={`${flow.namespace}/${flow.flow_name}`} className="border-b border-slate-200" data-flow-name={flow.flow_name}>
            <td className="py-2 pr-4">
              <Link href={flowHref(flow.flow_name)} className="font-medium text-blue-800 underline-offset-2 hover:underline">
                {flow.flow_name}
              </Link>
            </td>
            <td className="py-2 pr-4">{flow.namespace}</td>
            <td className="py-2 pr-4 font-mono text-xs">
              <Link href={flowHref(flow.flow_name, flow.flow_version)} className="text-blue-800 hover:underline">
                {flow.flow_version}
              </Link>
            </td>
            <td className="py-2 pr-4"><TagList tags={flow.tags} /></td>
            <td className="py-2 pr-4">{formatTime(flow.updated_at ?? flow.created_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
