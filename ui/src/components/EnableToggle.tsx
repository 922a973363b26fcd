"use client";

/** Enable or disable one thing that fires runs (a schedule, a sensor): the button says
 * what a press does, shows the request in flight and the API's refusal beside it, and
 * the lists under `queryKey` refetch after. The caller gives the API call. */

import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";

import { Button } from "@/components/Button";
import { ErrorNote } from "@/components/ErrorNote";
import { messageOf } from "@/lib/apiCall";

type Props = {
  enabled: boolean;
  /** what is toggled, for the button's accessible name in a list ("Disable nightly") */
  label?: string;
  /** enable (true) or disable (false) it */
  setEnabled: (enable: boolean) => Promise<unknown>;
  queryKey: QueryKey;
};

export function EnableToggle({ enabled, label, setEnabled, queryKey }: Props) {
  const client = useQueryClient();
  const toggle = useMutation({
    mutationFn: () => setEnabled(!enabled),
    onSuccess: () => client.invalidateQueries({ queryKey }),
  });
  const verb = enabled ? "Disable" : "Enable";
  return (
    <div className="flex flex-col gap-1">
      <Button onClick={() => toggle.mutate()} disabled={toggle.isPending} aria-label={label ? `${verb} ${label}` : undefined}>
        {toggle.isPending ? "Working…" : verb}
      </Button>
      <ErrorNote message={messageOf(toggle.error)} />
    </div>
  );
}
