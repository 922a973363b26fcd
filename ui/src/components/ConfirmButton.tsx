"use client";

/** A button whose action runs only after the person confirms it in a modal dialog
 * (native <dialog>: focus moves into it, Escape closes it). Used for Cancel, Retry,
 * Delete and anything else that cannot be undone with one click. */

import { useId, useRef, useState, type ReactNode } from "react";

import { Button } from "./Button";
import { ErrorNote } from "./ErrorNote";

export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel,
  tone = "secondary",
  onConfirm,
  disabled,
}: {
  label: string;
  title: string;
  children?: ReactNode;
  confirmLabel?: string;
  tone?: "primary" | "secondary" | "danger";
  onConfirm: () => Promise<unknown>;
  disabled?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId(); // unique per button, whatever its label
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      dialog.current?.close();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button tone={tone} disabled={disabled} onClick={() => dialog.current?.showModal()}>
        {label}
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="w-full max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="flex flex-col gap-3 p-5">
          <h2 id={titleId} className="text-lg font-semibold">{title}</h2>
          {children && <div className="text-sm text-slate-700">{children}</div>}
          <ErrorNote message={error} />
          <div className="flex justify-end gap-2">
            <Button onClick={() => dialog.current?.close()}>Keep as is</Button>
            <Button tone={tone === "secondary" ? "primary" : tone} disabled={busy} onClick={confirm}>
              {busy ? "Working…" : (confirmLabel ?? label)}
            </Button>
          </div>
        </div>
      </dialog>
    </>
  );
}
