/** Buttons in three weights; always type="button" unless told, so none submits a form
 * by accident. Focus rings stay visible for keyboard users. */

import type { ButtonHTMLAttributes } from "react";

type Tone = "primary" | "secondary" | "danger";

const TONES: Record<Tone, string> = {
  primary: "bg-blue-700 text-white hover:bg-blue-800 disabled:bg-blue-300",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 disabled:text-slate-400",
  danger: "bg-red-700 text-white hover:bg-red-800 disabled:bg-red-300",
};

export function Button({
  tone = "secondary",
  className = "",
  type = "button",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: Tone }) {
  return (
    <button
      type={type}
      className={`rounded px-3 py-1.5 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500 focus-visible:ring-offset-1 ${TONES[tone]} ${className}`}
      {...props}
    />
  );
}
