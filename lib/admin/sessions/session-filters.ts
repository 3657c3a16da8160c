import { z } from "zod";

const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim()) : v),
    z.string().max(max).optional(),
  );

/**
 * The Sessions page's filters, from its query string (and carried through the revoke forms so the
 * page comes back as it was): the IdP connection, and a piece of the person's email, name or NameID.
 */
export const sessionFiltersSchema = z.object({
  idp: optionalText(64),
  person: optionalText(256),
});
export type SessionFilters = z.output<typeof sessionFiltersSchema>;

/** Reads the filters from search parameters; a value that does not fit is dropped, never fatal. */
export function parseSessionFilters(params: Record<string, string | string[] | undefined>): SessionFilters {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const out: SessionFilters = {};
  for (const key of ["idp", "person"] as const) {
    const parsed = sessionFiltersSchema.shape[key].safeParse(first(params[key]));
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out;
}

/** The filters (and any extra values) as a query string. */
export function sessionFiltersQuery(filters: SessionFilters, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (filters.idp) q.set("idp", filters.idp);
  if (filters.person) q.set("person", filters.person);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}
