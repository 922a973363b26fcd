/** Run durations as a small inline SVG line (no chart library), announced as one
 * image with a sentence that says what it shows. */

import { sparklineLabel, sparklinePoints } from "@/lib/deployments/runStats";

const WIDTH = 160;
const HEIGHT = 32;

export function Sparkline({ durations }: { durations: number[] }) {
  const label = sparklineLabel(durations);
  if (durations.length === 0) return <p className="text-sm text-slate-600">{label}</p>;
  return (
    <svg
      role="img"
      aria-label={label}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="rounded border border-slate-200 bg-white"
    >
      <title>{label}</title>
      <polyline
        points={sparklinePoints(durations, WIDTH, HEIGHT)}
        fill="none"
        stroke="currentColor"
        strokeWidth={1.5}
        className="text-blue-700"
      />
    </svg>
  );
}
