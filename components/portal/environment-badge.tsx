import type { EnvironmentColor } from "@/lib/portal/environment";
import type { Highlights } from "@/lib/portal/match-roles";
import { Highlighted } from "./highlighted";

/**
 * Badge classes per colour: a -100 background with -900 text (contrast above 7:1, WCAG AAA), and
 * the tile's left edge in the -500 shade so a production tile stands out at a glance. Written out
 * in full so Tailwind finds every class.
 */
const BADGE: Record<EnvironmentColor, string> = {
  red: "bg-red-100 text-red-900 ring-red-300",
  orange: "bg-orange-100 text-orange-900 ring-orange-300",
  amber: "bg-amber-100 text-amber-900 ring-amber-300",
  green: "bg-green-100 text-green-900 ring-green-300",
  teal: "bg-teal-100 text-teal-900 ring-teal-300",
  blue: "bg-blue-100 text-blue-900 ring-blue-300",
  indigo: "bg-indigo-100 text-indigo-900 ring-indigo-300",
  purple: "bg-purple-100 text-purple-900 ring-purple-300",
  pink: "bg-pink-100 text-pink-900 ring-pink-300",
  slate: "bg-slate-100 text-slate-800 ring-slate-300",
};

export const EDGE: Record<EnvironmentColor, string> = {
  red: "border-l-red-500",
  orange: "border-l-orange-500",
  amber: "border-l-amber-500",
  green: "border-l-green-500",
  teal: "border-l-teal-500",
  blue: "border-l-blue-500",
  indigo: "border-l-indigo-500",
  purple: "border-l-purple-500",
  pink: "border-l-pink-500",
  slate: "border-l-slate-400",
};

export function EnvironmentBadge({
  environment,
  color,
  highlights,
}: {
  environment: string;
  color: EnvironmentColor;
  highlights?: Highlights["environment"];
}) {
  return (
    <span data-testid="environment-badge" className={`portal-badge ${BADGE[color]}`}>
      <Highlighted text={environment} ranges={highlights} />
    </span>
  );
}
