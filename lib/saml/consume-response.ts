import { buildPrincipalTags, type SessionTag, type TagMappingEntry } from "@/lib/aws/session-tags";
import { isUniqueViolation, type Db, type Tx } from "@/lib/db";
import { asAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { safeNextPath } from "@/lib/http/safe-next";
import { getSigningKey } from "@/lib/keys/get-signing-key";
import { extractIdentity } from "./extract-identity";
import { decodeSamlResponse, parseSamlXml, readIssuer } from "./parse-saml-xml";
import { samlError } from "./saml-errors";
import type { SpEndpoints } from "./sp-config";
import { validateSamlResponse, type ValidatedAssertion } from "./validate-response";

/** A certificate's lastUsedAt is written at most this often (it is a hot row: every sign-in). */
const LAST_USED_RESOLUTION_MS = 60 * 1000;

/**
 * Records that the IdP signed with this certificate (lastUsedAt), and completes a certificate
 * rollover: when it is a current certificate (not retired by a metadata refresh), the IdP has
 * moved to its new key, so the connection's retired certificates are no longer trusted and are
 * deleted (lib/config/sync-certificates.ts). Read inside the transaction: a refresh that retired
 * this very certificate a moment ago is seen.
 */
async function noteSigningCertificate(tx: Tx, connectionId: string, fingerprintSha256: string, now: Date): Promise<void> {
  const cert = await tx.idpCertificate.findUnique({ where: { connectionId_fingerprintSha256: { connectionId, fingerprintSha256 } } });
  if (!cert) return; // deleted since the response was verified: nothing to note
  if (!cert.lastUsedAt || now.getTime() - cert.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await tx.idpCertificate.update({ where: { id: cert.id }, data: { lastUsedAt: now } });
  }
  if (cert.retiredAt) return;
  const retired = await tx.idpCertificate.findMany({ where: { connectionId, retiredAt: { not: null } }, select: { id: true, fingerprintSha256: true } });
  if (retired.length === 0) return;
  await tx.idpCertificate.deleteMany({ where: { id: { in: retired.map((r) => r.id) } } });
  await recordAuditEvent(tx, {
    type: "idp.certificate_rollover",
    result: "success",
    connectionId,
    details: {
      idp: connectionId,
      signedWith: fingerprintSha256,
      removed: retired.map((r) => r.fingerprintSha256),
      why: "the IdP signed with a current certificate; the retired ones are no longer trusted",
    },
  });
}

/** Replay-cache rows are kept this long past their assertion's expiry (max clock skew is 15 min). */
const SEEN_ASSERTION_MARGIN_MS = 60 * 60 * 1000;

export interface SignedInUser {
  userId: string;
  connectionId: string;
  connectionName: string;
  nameId: string;
  nameIdFormat?: string;
  email?: string;
  displayName?: string;
  groups: string[];
  /** Session tags for AWS, from the connection's sessionTags mapping (already within AWS's limits). */
  sessionTags: SessionTag[];
  transitiveTagKeys: string[];
  /** When the session must end: the shorter of the configured maximum and SessionNotOnOrAfter. */
  sessionExpiresAt: Date;
  /** Where to send the browser: the stored target, a safe RelayState, or the portal. */
  target: string;
}

export interface ConsumeInput {
  samlResponse: string | undefined;
  relayState?: string;
  ip?: string;
  userAgent?: string;
}

export interface ConsumeContext {
  sp: SpEndpoints;
  baseUrl: string;
  secret: string;
  maxBytes: number;
  sessionMaxAgeSeconds: number;
  now?: Date;
}

/**
 * The ACS's work: pick the connection by the response's Issuer, validate against that
 * connection alone, check InResponseTo against our pending requests, refuse replays through
 * the shared replay cache, then upsert the user and audit, all in one transaction. Every
 * refusal is audited and thrown as an AppError; nothing else is written.
 */
export async function consumeSamlResponse(db: Db, input: ConsumeInput, ctx: ConsumeContext): Promise<SignedInUser> {
  const now = ctx.now ?? new Date();
  let connectionId: string | undefined;
  let assertion: ValidatedAssertion | undefined;
  try {
    if (!input.samlResponse) {
      throw samlError("saml.malformed", "POST without SAMLResponse");
    }
    const xml = decodeSamlResponse(input.samlResponse, ctx.maxBytes);
    const issuer = readIssuer(parseSamlXml(xml));
    if (!issuer) throw samlError("saml.malformed", "the response names no Issuer");
    const connection = await db.idpConnection.findUnique({ where: { entityId: issuer }, include: { certificates: true } });
    if (!connection || !connection.enabled) {
      throw samlError("saml.unknown_issuer", `response from unknown or disabled issuer ${JSON.stringify(issuer)}`);
    }
    connectionId = connection.id;

    const decryptionKey = await getSigningKey(db, "sp", ctx.secret);
    assertion = await validateSamlResponse({
      xml,
      connection: {
        id: connection.id,
        entityId: connection.entityId,
        certificates: connection.certificates.map((c) => c.pem),
        signaturePolicy: connection.signaturePolicy as "assertion" | "response" | "either" | "both",
        allowSha1: connection.allowSha1,
        clockSkewSeconds: connection.clockSkewSeconds,
        maxAssertionAgeSeconds: connection.maxAssertionAgeSeconds,
        decryptionKeyPem: decryptionKey.privateKeyPem,
      },
      sp: { entityId: ctx.sp.entityId, acsUrl: ctx.sp.acsUrl },
      now,
    });
    const validated = assertion;
    const identity = extractIdentity(validated, connection);
    const tagMapping = connection.sessionTags ? (JSON.parse(connection.sessionTags) as TagMappingEntry[]) : [];
    const tags = buildPrincipalTags({ attributes: validated.attributes, mapping: tagMapping });
    if (tags.warnings.length > 0) log.warn("session tags dropped", { connectionId: connection.id, warnings: tags.warnings });
    const sessionCap = new Date(now.getTime() + ctx.sessionMaxAgeSeconds * 1000);
    const sessionExpiresAt =
      validated.sessionNotOnOrAfter && validated.sessionNotOnOrAfter < sessionCap ? validated.sessionNotOnOrAfter : sessionCap;
    if (sessionExpiresAt <= now) {
      throw samlError("saml.expired", "SessionNotOnOrAfter is already past");
    }

    // Forget assertions long expired; the margin outlasts any clock skew a connection allows.
    await db.seenAssertion.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - SEEN_ASSERTION_MARGIN_MS) } } });

    return await db.$transaction(async (tx) => {
      // Replay first: a replayed SP-initiated response has also used up its pending request,
      // and the person should hear "already used", not "unknown request".
      try {
        await tx.seenAssertion.create({
          data: { connectionId: connection.id, assertionId: validated.assertionId, expiresAt: validated.expiresAt },
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw samlError("saml.replayed", `assertion ${validated.assertionId} was already used`);
        }
        throw error;
      }

      let target: string | undefined;
      if (validated.inResponseTo) {
        // Solicited: the request must be ours, for this connection, unexpired; consume it.
        const pending = await tx.pendingAuthnRequest.findUnique({ where: { id: validated.inResponseTo } });
        const consumed = await tx.pendingAuthnRequest.deleteMany({
          where: { id: validated.inResponseTo, connectionId: connection.id, expiresAt: { gt: now } },
        });
        if (consumed.count !== 1 || !pending) {
          throw samlError(
            "saml.in_response_to_mismatch",
            `InResponseTo ${validated.inResponseTo} matches no unexpired pending request of connection ${connection.id}`,
          );
        }
        target = pending.target ?? undefined;
      } else {
        if (!connection.allowIdpInitiated) {
          throw samlError(
            "saml.idp_initiated_not_allowed",
            `unsolicited response refused: connection ${connection.id} does not allow IdP-initiated sign-in`,
          );
        }
        target = safeNextPath(input.relayState, ctx.baseUrl);
      }

      const user = await tx.user.upsert({
        where: { connectionId_nameId: { connectionId: connection.id, nameId: validated.nameId } },
        create: {
          connectionId: connection.id,
          nameId: validated.nameId,
          nameIdFormat: validated.nameIdFormat ?? null,
          email: identity.email ?? null,
          displayName: identity.displayName ?? null,
          groups: JSON.stringify(identity.groups),
          firstSeenAt: now,
          lastSeenAt: now,
        },
        update: {
          nameIdFormat: validated.nameIdFormat ?? null,
          email: identity.email ?? null,
          displayName: identity.displayName ?? null,
          groups: JSON.stringify(identity.groups),
          lastSeenAt: now,
        },
      });
      await noteSigningCertificate(tx, connection.id, validated.signingCertificateFingerprint, now);
      await recordAuditEvent(tx, {
        type: "saml.login",
        result: "success",
        connectionId: connection.id,
        nameId: validated.nameId,
        userId: user.id,
        ip: input.ip,
        userAgent: input.userAgent,
        details: {
          flow: validated.inResponseTo ? "sp-initiated" : "idp-initiated",
          assertionId: validated.assertionId,
          groups: identity.groups.length,
        },
      });
      return {
        userId: user.id,
        connectionId: connection.id,
        connectionName: connection.name,
        nameId: validated.nameId,
        nameIdFormat: validated.nameIdFormat,
        email: identity.email,
        displayName: identity.displayName,
        groups: identity.groups,
        sessionTags: tags.tags,
        transitiveTagKeys: tags.transitiveTagKeys,
        sessionExpiresAt,
        target: target ?? "/",
      };
    });
  } catch (error) {
    const appError = asAppError(error, {
      code: "saml.internal_error",
      context: "ACS failed unexpectedly",
      userMessage: "Jetway could not complete your sign-in because of an internal error.",
    });
    await recordAuditEvent(db, {
      type: "saml.login_failed",
      result: "failure",
      referenceId: appError.referenceId,
      connectionId: connectionId ?? null,
      nameId: assertion?.nameId ?? null,
      ip: input.ip,
      userAgent: input.userAgent,
      reason: `${appError.code}: ${appError.message}`,
    }).catch((auditError: unknown) =>
      log.error("audit write failed", { referenceId: appError.referenceId, error: (auditError as Error)?.message }),
    );
    throw appError;
  }
}
