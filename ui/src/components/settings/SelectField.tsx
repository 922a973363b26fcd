/** A labelled <select> (the Field of choices): the label is tied to it for screen readers. */

import type { ReactNode, SelectHTMLAttributes } from "react";

type Props = SelectHTMLAttributes<HTMLSelectElement> & { id: string; label: string; children: ReactNode };

export function SelectField({ id, label, children, ...select }: Props) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        className="rounded border border-slate-300 bg-white px-3 py-2 focus:outline-none focus:ring-2 focus:ring-blue-500"
        {...select}
      >
        {children}
      </select>
    </div>
  );
}
