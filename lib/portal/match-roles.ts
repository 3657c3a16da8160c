/**
 * The portal's search: one box matching account alias, account id, role name, label and
 * environment. Plain TypeScript, run in the browser on every keystroke (and on the server for a
 * `/?q=` search without JavaScript), so it stays linear in the number of roles.
 *
 * Every word of the query must match some field (case-insensitive). A word scores by where it
 * matches (the whole field, its start, the start of a word inside it, anywhere) times how telling
 * the field is; results come best first, ties broken by `boost` (favourites, recents) and then
 * by the order given. The matched parts are returned per field, for highlighting.
 */
export interface SearchableRole {
  accountAlias: string;
  accountId: string;
  roleName: string;
  label: string | null;
  environment: string | null;
}

export const MATCH_FIELDS = ["accountAlias", "roleName", "label", "accountId", "environment"] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];

/** [start, end) character ranges, sorted and not overlapping. */
export type Highlights = Partial<Record<MatchField, [number, number][]>>;

export interface RoleMatch<T> {
  role: T;
  score: number;
  highlights: Highlights;
}

const FIELD_WEIGHT: Record<MatchField, number> = {
  accountAlias: 3,
  roleName: 3,
  label: 2,
  accountId: 2,
  environment: 1,
};

const EXACT = 4;
const PREFIX = 3;
const WORD_START = 2;
const ANYWHERE = 1;

/** The words of a query, lower-cased; empty when the query is blank. */
export function queryTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
}

/** Whether index `i` of `text` starts a word: after a separator, or an upper-case letter after a lower-case one (ReadOnly). */
function startsWord(text: string, i: number): boolean {
  if (i === 0) return true;
  const before = text[i - 1]!;
  const at = text[i]!;
  if (!/[\p{L}\p{N}]/u.test(before)) return true;
  return /\p{Ll}/u.test(before) && /\p{Lu}/u.test(at);
}

/** Where `term` matches `text` best, and how well (0: not at all). */
function locate(text: string, lower: string, term: string): { at: number; kind: number } {
  const first = lower.indexOf(term);
  if (first === -1) return { at: -1, kind: 0 };
  if (first === 0) return { at: 0, kind: lower.length === term.length ? EXACT : PREFIX };
  for (let i = first; i !== -1; i = lower.indexOf(term, i + 1)) {
    if (startsWord(text, i)) return { at: i, kind: WORD_START };
  }
  return { at: first, kind: ANYWHERE };
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else out.push([range[0], range[1]]);
  }
  return out;
}

/** One role against the query's terms: its score and highlights, or undefined when a term matches nothing. */
export function matchRole<T extends SearchableRole>(role: T, terms: string[]): RoleMatch<T> | undefined {
  let score = 0;
  const ranges: Partial<Record<MatchField, [number, number][]>> = {};
  for (const term of terms) {
    let best = 0;
    for (const field of MATCH_FIELDS) {
      const text = role[field];
      if (!text) continue;
      const { at, kind } = locate(text, text.toLowerCase(), term);
      if (kind === 0) continue;
      (ranges[field] ??= []).push([at, at + term.length]);
      best = Math.max(best, kind * FIELD_WEIGHT[field]);
    }
    if (best === 0) return undefined;
    score += best;
  }
  const highlights: Highlights = {};
  for (const field of MATCH_FIELDS) {
    const found = ranges[field];
    if (found) highlights[field] = mergeRanges(found);
  }
  return { role, score, highlights };
}

/**
 * The roles that match every word of `query`, best first. A blank query matches nothing (the
 * portal then shows its sections instead of results). `boost` orders equal scores (higher first).
 */
export function matchRoles<T extends SearchableRole>(
  roles: readonly T[],
  query: string,
  boost: (role: T) => number = () => 0,
): RoleMatch<T>[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const matches: { match: RoleMatch<T>; boost: number; index: number }[] = [];
  roles.forEach((role, index) => {
    const match = matchRole(role, terms);
    if (match) matches.push({ match, boost: boost(role), index });
  });
  matches.sort((a, b) => b.match.score - a.match.score || b.boost - a.boost || a.index - b.index);
  return matches.map((m) => m.match);
}

/** Splits `text` into plain and highlighted parts along `ranges` (from matchRoles). */
export function splitHighlights(
  text: string,
  ranges: readonly [number, number][] | undefined,
): { text: string; match: boolean }[] {
  if (!ranges || ranges.length === 0) return [{ text, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  let cursor = 0;
  for (const [start, end] of ranges) {
    if (start > cursor) parts.push({ text: text.slice(cursor, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    cursor = end;
  }
  if (cursor < text.length) parts.push({ text: text.slice(cursor), match: false });
  return parts;
}
