/** A labelled input: the label is tied to the input for screen readers. The shared
 * InputRow of the forms, under the name the sign-in and settings forms know. */

import type { InputHTMLAttributes } from "react";

import { InputRow } from "@/components/forms/FormControls";

type Props = InputHTMLAttributes<HTMLInputElement> & { id: string; label: string };

export function Field(props: Props) {
  return <InputRow {...props} />;
}
