import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import {
  identityRuleIssues,
  parseStoredEmailDomains,
  type IdentityRuleConnection,
} from "@/lib/config/idp-identity-rules";
import type { Db, Tx } from "@/lib/db";
import type { IdpConnection } from "@/lib/db/types";
import { invalid, type AdminResult, type FieldErrors } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { writeAtVersion } from "../write-at-version";
import { idpSnapshot } from "./idp-audit";
import { checkIdpOptions, type IdpOptionsForm, type IdpOptionsRow } from "./idp-options-input";

/** Changes a connection's name, attribute names and options, if still at `expectedVersion`; audited. */
export async function updateIdpOptions(
  db: Db,
  id: string,
  expectedVersion: number,
  form: IdpOptionsForm,
  actor: AdminActor,
): Promise<AdminResult<IdpConnection>> {
  const checked = checkIdpOptions(id, form);
  if (!checked.ok) return invalid(checked.fieldErrors);
  const row = checked.row;
  return writeAtVersion(
    db,
    { thing: "identity provider", id, expectedVersion, write: "update" },
    {
      read: (tx) => tx.idpConnection.findUnique({ where: { id } }),
      prepare: async (tx) => {
        const identityErrors = await identityRulesBroken(tx, id, row);
        return identityErrors ? invalid(identityErrors) : { ok: true, value: undefined };
      },
      write: (tx, where) => tx.idpConnection.updateMany({ where, data: { ...row, version: { increment: 1 } } }),
      afterWrite: async (tx, before) => {
        const after = await tx.idpConnection.findUniqueOrThrow({ where: { id } });
        await recordAuditEvent(tx, {
          type: "idp.update",
          result: "success",
          ...auditActorFields(actor),
          details: { by: actor.displayName, idp: id, before: idpSnapshot(before), after: idpSnapshot(after) },
        });
        return after;
      },
    },
  );
}

/**
 * The email-domain and primary rules (lib/config/idp-identity-rules.ts) over every connection,
 * this one as it would be saved. Only problems this change introduces refuse it: a deployment
 * that predates the rules can then be fixed one connection at a time.
 */
async function identityRulesBroken(tx: Tx, id: string, row: IdpOptionsRow): Promise<FieldErrors | null> {
  const stored = await tx.idpConnection.findMany({
    select: { id: true, name: true, emailDomains: true, primary: true },
  });
  const current: IdentityRuleConnection[] = stored.map((c) => ({
    ...c,
    emailDomains: parseStoredEmailDomains(c.emailDomains),
  }));
  // The stored name in both, so that a rename alone does not make an old problem look new.
  const changed = current.map((c) =>
    c.id === id ? { ...c, emailDomains: parseStoredEmailDomains(row.emailDomains), primary: row.primary } : c,
  );
  const known = new Set(identityRuleIssues(current).map((i) => i.message));
  const introduced = identityRuleIssues(changed).filter((i) => !known.has(i.message));
  if (introduced.length === 0) return null;
  const errors: FieldErrors = {};
  for (const issue of introduced) (errors[issue.field] ??= []).push(issue.message);
  return errors;
}
