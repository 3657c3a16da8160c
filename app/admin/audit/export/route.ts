import { auditActorFields } from "@/lib/admin/admin-actor";
import { parseAuditFilters } from "@/lib/admin/audit/audit-filters";
import { auditRowsToCsv, auditRowsToJson } from "@/lib/admin/audit/format-audit-export";
import { exportAuditEvents } from "@/lib/admin/audit/list-audit-events";
import { requireAdminRoute } from "@/lib/admin/require-admin";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

/** GET /admin/audit/export?format=csv|json&<the audit page's filters>: admins only. */
export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const actor = await requireAdminRoute(request, `/admin/audit${url.search}`);
  if (actor instanceof Response) return actor;
  const format = url.searchParams.get("format") === "json" ? "json" : "csv";
  const { filters } = parseAuditFilters(url.searchParams);
  const db = getDb();
  const { rows, truncated } = await exportAuditEvents(db, filters);
  // Reading the audit log is itself worth a line in it.
  await recordAuditEvent(db, {
    type: "audit.export",
    result: "success",
    ...auditActorFields(actor),
    details: { by: actor.displayName, format, filters, rows: rows.length, truncated },
  });
  const now = new Date();
  const stamp = now.toISOString().replace(/[:.]/g, "-").slice(0, 19);
  const body =
    format === "json" ? auditRowsToJson(rows, { filters, truncated, exportedAt: now }) : auditRowsToCsv(rows);
  return new Response(body, {
    headers: {
      "content-type": format === "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="jetway-audit-${stamp}.${format}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      ...(truncated ? { "x-jetway-truncated": "true" } : {}),
    },
  });
}
