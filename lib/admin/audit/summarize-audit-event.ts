import type { AuditRow } from "./list-audit-events";

const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");
const record = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};

/** One line that says what happened, from the event's details ("" when its type has none). */
export function summarizeAuditEvent(row: Pick<AuditRow, "type" | "connectionId" | "details">): string {
  const d = row.details ?? {};
  if (row.type === "console.signin") {
    return [text(d.accountAlias) || text(d.account), text(d.roleArn) || text(d.role)].filter(Boolean).join(" · ");
  }
  if (row.type.startsWith("mapping.")) {
    const m = record(d.after ?? d.before);
    return `${text(m.group) || text(m.groupPattern)} → ${text(m.roleArn)}`;
  }
  if (row.type.startsWith("account.")) {
    const a = record(d.after ?? d.before);
    return `${text(a.alias)} (${text(a.id)})`;
  }
  if (row.type === "session.revoke") {
    const n = typeof d.count === "number" ? d.count : 0;
    return [`${n} ${n === 1 ? "session" : "sessions"}`, text(d.person) || text(d.idp) || text(d.connectionId)]
      .filter(Boolean)
      .join(" · ");
  }
  if (row.type.startsWith("access.")) {
    // Just-in-time access: which role the request is for (lib/access/access-request-view.ts's accessAuditDetails).
    const account = record(d.account);
    return [text(account.alias) || text(account.id), text(d.roleName) || text(d.roleArn)].filter(Boolean).join(" · ");
  }
  if (row.type === "saml.login") return [text(row.connectionId), text(d.flow)].filter(Boolean).join(" · ");
  return "";
}

/** An event of a break-glass activation or its grant (lib/access writes details.breakGlass = true): badged in the audit list. */
export function isBreakGlassEvent(row: Pick<AuditRow, "details">): boolean {
  return row.details?.breakGlass === true;
}
