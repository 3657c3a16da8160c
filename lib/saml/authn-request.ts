import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getSigningKey } from "@/lib/keys/get-signing-key";
import { createNodeSaml } from "./node-saml-instance";
import type { SpEndpoints } from "./sp-config";

/** How long an AuthnRequest stays answerable: long enough for a password reset and MFA. */
export const PENDING_REQUEST_TTL_MS = 15 * 60 * 1000;

/** Where to send the browser: a redirect (HTTP-Redirect binding), or a form to post (HTTP-POST; lib/http/auto-post-form.ts). */
export type SignInStart = { requestId: string } & (
  { kind: "redirect"; url: string } | { kind: "post"; url: string; fields: Record<string, string> }
);

/** SAML IDs must start with a letter or underscore (xs:ID); 20+ random bytes per SAML core §1.3.4. */
function newRequestId(): string {
  return `_${randomBytes(21).toString("hex")}`;
}

/**
 * Starts SP-initiated sign-in: stores the request id and the target server-side (the IdP's
 * cross-site POST would lose a SameSite=Lax cookie), then builds the AuthnRequest:
 * HTTP-Redirect when the IdP offers it, else HTTP-POST; signed when the connection asks.
 */
export async function startSignIn(
  db: Db,
  args: { connectionId: string; target?: string; sp: SpEndpoints; secret: string; now?: Date },
): Promise<SignInStart> {
  const connection = await db.idpConnection.findUnique({ where: { id: args.connectionId } });
  if (!connection || !connection.enabled) {
    throw new AppError("saml.unknown_connection", {
      status: 404,
      message: `sign-in requested for unknown or disabled connection ${args.connectionId}`,
      userMessage: "This sign-in option does not exist or has been turned off.",
    });
  }
  const entryPoint = connection.ssoRedirectUrl ?? connection.ssoPostUrl;
  if (!entryPoint) {
    throw new AppError("saml.no_sso_url", {
      status: 500,
      message: `connection ${connection.id} has no SingleSignOnService URL`,
      userMessage: "This sign-in option is not configured completely. Please tell your administrator.",
    });
  }
  const now = args.now ?? new Date();
  const id = newRequestId();
  const signingKey = connection.signAuthnRequests ? await getSigningKey(db, "sp", args.secret) : undefined;
  const saml = createNodeSaml({
    entryPoint,
    issuer: args.sp.entityId,
    callbackUrl: args.sp.acsUrl,
    idpCert: "unused-for-requests",
    identifierFormat: connection.nameIdFormat ?? null,
    disableRequestedAuthnContext: true,
    generateUniqueId: () => id,
    authnRequestBinding: connection.ssoRedirectUrl ? "HTTP-Redirect" : "HTTP-POST",
    // SAML bindings 3.5.4: HTTP-POST carries the message base64-encoded only; DEFLATE is the
    // HTTP-Redirect binding's (3.4.4.1). node-saml deflates unless told not to.
    skipRequestCompression: !connection.ssoRedirectUrl,
    ...(signingKey
      ? { privateKey: signingKey.privateKeyPem, signatureAlgorithm: "sha256" as const, digestAlgorithm: "sha256" }
      : {}),
  });

  // Purge what expired, then remember this request (the InResponseTo we will accept).
  await db.pendingAuthnRequest.deleteMany({ where: { expiresAt: { lt: now } } });
  await db.pendingAuthnRequest.create({
    data: {
      id,
      connectionId: connection.id,
      target: args.target ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + PENDING_REQUEST_TTL_MS),
    },
  });

  // RelayState is opaque to the IdP; the target stays on our side, keyed by the request id.
  if (connection.ssoRedirectUrl) {
    return { kind: "redirect", requestId: id, url: await saml.getAuthorizeUrlAsync("", undefined, {}) };
  }
  // The fields only: node-saml's own page submits itself from an inline onload handler, which
  // Jetway's CSP does not allow; the route renders the form with the request's nonce instead.
  const message = await saml.getAuthorizeMessageAsync("", undefined, {});
  const fields = Object.fromEntries(Object.entries(message).map(([name, value]) => [name, String(value)]));
  return { kind: "post", requestId: id, url: entryPoint, fields };
}
