import { mappingToConfig } from "@/lib/config/export-config";
import { configAccessSettings, describeApprover } from "@/lib/config/mapping-access";
import type { Db } from "@/lib/db";
import { findMapping } from "./find-mapping";

/**
 * A mapping as stored now, field label → value: what the mapping form shows beside a conflict
 * ("Stored now"), so the admin can compare it with what they meant to save. Undefined when it is gone.
 */
export async function storedMappingValues(db: Db, id: string): Promise<Record<string, string> | undefined> {
  const row = await findMapping(db, id);
  if (!row) return undefined;
  const c = mappingToConfig(row);
  return {
    "Group or pattern": c.group ?? c.groupPattern ?? "",
    "Role ARN": c.roleArn,
    "Identity provider": c.idp ?? "none",
    Label: c.label ?? "",
    "Session duration": `${c.sessionDuration} s`,
    Access: c.access ?? "standing",
    ...(c.access === "eligible"
      ? {
          Approvers: configAccessSettings(c).approvers.map(describeApprover).join(", "),
          "Approvals required": String(c.approvalsRequired ?? 1),
          "Longest grant": `${c.maxDuration ?? 3600} s`,
          "Reason required": c.requireReason === false ? "no" : "yes",
          "Ticket pattern": c.requireTicket ?? "none",
          "Break-glass": c.breakGlass ? "allowed" : "not allowed",
        }
      : {}),
    Version: String(row.version),
  };
}
