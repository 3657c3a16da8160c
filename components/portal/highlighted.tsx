import { splitHighlights } from "@/lib/portal/match-roles";

/** `text` with the parts the search matched in <mark>. */
export function Highlighted({ text, ranges }: { text: string; ranges: readonly [number, number][] | undefined }) {
  if (!ranges?.length) return <>{text}</>;
  return (
    <>
      {splitHighlights(text, ranges).map((part, i) =>
        part.match ? (
          <mark key={i} className="rounded-sm bg-yellow-200 text-inherit">
            {part.text}
          </mark>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}
