/** The table every settings list uses: column headers with scope, one row per item. */

import type { ReactNode } from "react";

export function SettingsTable({ caption, columns, children }: { caption: string; columns: string[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-300 text-slate-700">
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col" className="px-3 py-2 font-semibold">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export const CELL = "px-3 py-2 align-top";
export const ROW = "border-b border-slate-200 last:border-b-0";
/** An actions cell: a button named after a long resource name wraps instead of
 * pushing the table wider than the page. */
export const ACTIONS = `${CELL} [&_button]:max-w-[16rem] [&_button]:[overflow-wrap:anywhere]`;
