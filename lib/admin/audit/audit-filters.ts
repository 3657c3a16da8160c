import { z } from "zod";
import { AUDIT_CATEGORIES, AUDIT_EVENT_TYPE_NAMES, type AuditCategory } from "@/lib/audit/audit-event-types";

const optionalText = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
  z.string().max(2048).optional(),
);
const optionalDate = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-01-31.")
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "Not a date.")
    .optional(),
);

/** The audit log's filters, from the page's query string or an export link (the same names). */
export const auditFiltersSchema = z.object({
  user: optionalText,
  account: optionalText,
  role: optionalText,
  result: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["success", "failure"]).optional()),
  category: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.enum(Object.keys(AUDIT_CATEGORIES) as [AuditCategory, ...AuditCategory[]]).optional(),
  ),
  /** One event type (lib/audit/audit-event-types.ts). */
  type: z.preprocess((v) => (v === "" ? undefined : v), z.enum(AUDIT_EVENT_TYPE_NAMES).optional()),
  /** Inclusive days, UTC. */
  from: optionalDate,
  to: optionalDate,
});
export type AuditFilters = z.output<typeof auditFiltersSchema>;

/** Reads filters from a query string; a bad value is dropped and reported, never fatal. */
export function parseAuditFilters(params: URLSearchParams | Record<string, string | string[] | undefined>): {
  filters: AuditFilters;
  errors: Record<string, string>;
} {
  const raw: Record<string, string> = {};
  const entries =
    params instanceof URLSearchParams
      ? [...params.entries()]
      : Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v] as const);
  for (const [k, v] of entries) if (typeof v === "string" && k in auditFiltersSchema.shape) raw[k] ??= v;
  const errors: Record<string, string> = {};
  const filters: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(auditFiltersSchema.shape)) {
    const parsed = (schema as z.ZodType).safeParse(raw[key]);
    if (parsed.success) filters[key] = parsed.data;
    else errors[key] = parsed.error.issues[0]?.message ?? "Invalid value.";
  }
  return { filters: filters, errors };
}

/** The filters as a query string (for pagination and export links). */
export function auditFiltersQuery(filters: AuditFilters, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, String(v));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}
