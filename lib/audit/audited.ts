import type { Db } from "@/lib/db";
import { asAppError, type AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { AuditEventType } from "./audit-event-types";
import { recordAuditEvent } from "./record-audit-event";

/** What a failure row says about who and what; the operation fills it in as it learns. */
export interface AuditScope {
  connectionId?: string | null;
  nameId?: string | null;
  userId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditedSpec {
  /** The failure row's type, e.g. saml.login_failed or console.signin. */
  type: AuditEventType;
  client: { ip?: string; userAgent?: string };
  scope?: AuditScope;
  /** What an unexpected error (not an AppError) becomes: a 500 with this sentence. */
  unexpected: { code: string; context: string; userMessage: string };
}

/**
 * Runs an operation that must leave an audit row when it fails: any error becomes an AppError
 * (unexpected ones a 500 with a generic sentence), and a failure row with its reference id,
 * the rule it broke and whatever `scope` the operation had learned is written before it is
 * rethrown. Success rows are the operation's own (in its transaction, with its change).
 */
export async function audited<T>(db: Db, spec: AuditedSpec, operation: (scope: AuditScope) => Promise<T>): Promise<T> {
  const scope: AuditScope = { ...spec.scope };
  try {
    return await operation(scope);
  } catch (error) {
    const appError: AppError = asAppError(error, spec.unexpected);
    await recordAuditEvent(db, {
      type: spec.type,
      result: "failure",
      referenceId: appError.referenceId,
      connectionId: scope.connectionId ?? null,
      nameId: scope.nameId ?? null,
      userId: scope.userId ?? null,
      ...spec.client,
      reason: `${appError.code}: ${appError.message}`,
      ...(scope.details ? { details: scope.details } : {}),
    }).catch((auditError: unknown) =>
      log.error("audit write failed", { referenceId: appError.referenceId, error: (auditError as Error)?.message }),
    );
    throw appError;
  }
}
