import type { ReactNode } from "react";

/**
 * A table that scrolls sideways on narrow screens. The scroll area is a labelled region that can
 * take focus, so it can be scrolled from the keyboard too (WCAG 2.1.1).
 */
export function DataTable({
  caption,
  minWidth,
  framed = true,
  children,
}: {
  /** Read by screen readers, as the table's caption and the region's name. */
  caption: string;
  /** A Tailwind min-width class, e.g. "min-w-[48rem]": below it the table scrolls. */
  minWidth: string;
  /** In a card of its own (default), or inside one already. */
  framed?: boolean;
  children: ReactNode;
}) {
  return (
    <div
      role="region"
      aria-label={caption}
      tabIndex={0}
      className={`relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 ${framed ? "rounded-xl border border-slate-200 bg-white shadow-sm" : ""}`}
    >
      <table className={`w-full ${minWidth} text-left text-sm`}>
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}
