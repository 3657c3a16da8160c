import { auditActorFields } from "@/lib/admin/admin-actor";
import { requireAdminRoute } from "@/lib/admin/require-admin";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { configToYaml, exportConfig } from "@/lib/config/export-config";
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

/** GET /admin/config/export: the whole configuration as a JETWAY_CONFIG YAML file. Admins only. */
export async function GET(request: Request): Promise<Response> {
  const actor = await requireAdminRoute(request, "/admin/config");
  if (actor instanceof Response) return actor;
  const db = getDb();
  const { config } = await exportConfig(db);
  const now = new Date();
  const yaml = configToYaml(
    config,
    `Jetway configuration (JETWAY_CONFIG), exported ${now.toISOString()} by ${actor.nameId}.\nApplying it to a Jetway makes that Jetway's identity providers, accounts, mappings and admins match this file.`,
  );
  await recordAuditEvent(db, {
    type: "config.export",
    result: "success",
    ...auditActorFields(actor),
    details: { by: actor.displayName },
  });
  return new Response(yaml, {
    headers: {
      "content-type": "application/yaml; charset=utf-8",
      "content-disposition": `attachment; filename="jetway.config.yaml"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
