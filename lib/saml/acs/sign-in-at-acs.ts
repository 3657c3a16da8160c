import { audited } from "@/lib/audit/audited";
import type { JetwaySession } from "@/lib/auth/session";
import { createSession, readSession, rememberSession, revokeSessions } from "@/lib/auth/session-store";
import { buildPrincipalTags, type TagMappingEntry } from "@/lib/aws/session-tags";
import type { Db } from "@/lib/db";
import { safeNextPath } from "@/lib/http/safe-next";
import { log } from "@/lib/log";
import { extractIdentity } from "../extract-identity";
import { samlError } from "../saml-errors";
import type { SpEndpoints } from "../sp-config";
import { checkBrowserBinding, claimedRequestId } from "./check-browser-binding";
import { claimResponse, refuseUnsolicitedIfNotAllowed } from "./claim-response";
import { recordSignIn } from "./record-sign-in";
import { resolveConnection } from "./resolve-connection";
import { validateForConnection } from "./validate-for-connection";

export interface AcsInput {
  /** Reads the POSTed form (size-capped); its refusals are audited like any other. */
  readForm: () => Promise<URLSearchParams>;
  /** The browser's authn-binding cookie (lib/auth/authn-binding.ts) and session cookie, if any. */
  bindingCookie?: string;
  sessionToken?: string;
  ip?: string;
  userAgent?: string;
}

export interface AcsContext {
  sp: SpEndpoints;
  baseUrl: string;
  secret: string;
  maxBytes: number;
  sessionMaxAgeSeconds: number;
  now?: Date;
}

interface Person {
  name: string;
}

export type AcsOutcome =
  | {
      kind: "signed-in";
      sessionToken: string;
      expiresAt: Date;
      target: string;
      /** The AuthnRequest this answered: its binding is removed from the browser's cookie. */
      requestId?: string;
    }
  | {
      /** IdP-initiated while the browser holds another person's session: ask before switching. */
      kind: "confirm-switch";
      pendingToken: string;
      expiresAt: Date;
      target: string;
      current: Person;
      next: Person;
    };

/**
 * The assertion consumer service, as named steps: resolve the connection → check the browser
 * binding → validate → claim (replay + InResponseTo) → record the sign-in → issue the session;
 * the last three in one transaction, so a refused sign-in writes nothing but its audit row
 * (lib/audit/audited.ts), and no session exists for it.
 */
export async function signInAtAcs(db: Db, input: AcsInput, ctx: AcsContext): Promise<AcsOutcome> {
  const client = { ip: input.ip, userAgent: input.userAgent };
  const unexpected = {
    code: "saml.internal_error",
    context: "ACS failed unexpectedly",
    userMessage: "Jetway could not complete your sign-in because of an internal error.",
  };
  return audited(db, { type: "saml.login_failed", client, unexpected }, async (scope) => {
    const now = ctx.now ?? new Date();
    const form = await input.readForm();
    const { xml, doc, connection } = await resolveConnection(db, form.get("SAMLResponse") ?? undefined, ctx.maxBytes);
    scope.connectionId = connection.id;

    const claimedId = claimedRequestId(doc);
    checkBrowserBinding(claimedId, input.bindingCookie, ctx.secret);
    const assertion = await validateForConnection(db, { xml, doc, connection, sp: ctx.sp, secret: ctx.secret, now });
    scope.nameId = assertion.nameId;
    // Solicited or not is decided by signed bytes alone; a signed InResponseTo the raw tree
    // did not show (e.g. inside an encrypted assertion) needs its binding too.
    if (assertion.inResponseTo !== claimedId)
      checkBrowserBinding(assertion.inResponseTo, input.bindingCookie, ctx.secret);
    await refuseUnsolicitedIfNotAllowed(db, connection, assertion);

    const identity = extractIdentity(assertion, connection);
    const tagMapping = connection.sessionTags ? (JSON.parse(connection.sessionTags) as TagMappingEntry[]) : [];
    const tags = buildPrincipalTags({ attributes: assertion.attributes, mapping: tagMapping });
    if (tags.warnings.length > 0)
      log.warn("session tags dropped", { connectionId: connection.id, warnings: tags.warnings });
    const cap = new Date(now.getTime() + ctx.sessionMaxAgeSeconds * 1000);
    const expiresAt =
      assertion.sessionNotOnOrAfter && assertion.sessionNotOnOrAfter < cap ? assertion.sessionNotOnOrAfter : cap;
    if (expiresAt <= now) throw samlError("saml.expired", "SessionNotOnOrAfter is already past");

    const current = await readSession(db, input.sessionToken, now);
    let signedIn: { token: string; session: JetwaySession } | undefined;
    const outcome = await db.$transaction(async (tx) => {
      const claim = await claimResponse(tx, { connectionId: connection.id, assertion, now });
      const { userId } = await recordSignIn(tx, {
        connectionId: connection.id,
        assertion,
        identity,
        client,
        now,
        certificates: connection.certificates,
      });
      scope.userId = userId;
      // A tile click never silently swaps the signed-in person: an unsolicited sign-in of someone
      // else waits, inactive, for this browser's confirmation (app/login/switch).
      const switching = !assertion.inResponseTo && current !== null && current.user.id !== userId;
      // A new session in this browser replaces the one its cookie held (the old token is gone with it).
      if (current && !switching)
        await revokeSessions(tx, { sessionId: current.id }, "replaced by a new sign-in in this browser", now);
      const session = await createSession(tx, {
        userId,
        connectionId: connection.id,
        groups: identity.groups,
        tags: tags.tags,
        transitiveTagKeys: tags.transitiveTagKeys,
        expiresAt,
        active: !switching,
        ...client,
        now,
      });
      const target = (assertion.inResponseTo ? claim.target : safeNextPath(form.get("RelayState"), ctx.baseUrl)) ?? "/";
      if (!switching) {
        signedIn = {
          token: session.token,
          session: {
            id: session.id,
            user: {
              id: userId,
              nameId: assertion.nameId,
              email: identity.email,
              name: identity.displayName,
              groups: identity.groups,
              tags: tags.tags,
              transitiveTagKeys: tags.transitiveTagKeys,
            },
            idp: { id: connection.id, name: connection.name },
            issuedAt: now.toISOString(),
            expiresAt: expiresAt.toISOString(),
          },
        };
      }
      if (switching) {
        return {
          kind: "confirm-switch" as const,
          pendingToken: session.token,
          expiresAt,
          target,
          current: { name: current.user.name ?? current.user.email ?? current.user.nameId },
          next: { name: identity.displayName ?? identity.email ?? assertion.nameId },
        };
      }
      return {
        kind: "signed-in" as const,
        sessionToken: session.token,
        expiresAt,
        target,
        requestId: assertion.inResponseTo,
      };
    });
    // The browser's next request (the portal) finds its new session without reading it back.
    if (signedIn) rememberSession(signedIn.token, signedIn.session, now);
    return outcome;
  });
}
