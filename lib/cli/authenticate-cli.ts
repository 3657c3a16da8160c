import type { JetwaySession } from "@/lib/auth/session";
import { readSession } from "@/lib/auth/session-store";
import type { Db } from "@/lib/db";
import { invalidTokenError } from "./cli-responses";

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1; the scheme is case-insensitive), or undefined. */
export function bearerToken(headers: Headers): string | undefined {
  const value = headers.get("authorization");
  const match = value ? /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(value) : null;
  return match?.[1];
}

/**
 * The live CLI session a request's bearer token stands for, or a 401 invalid_token. Only a
 * Session of kind "cli" answers: a portal cookie sent as a bearer token is refused, as a CLI
 * token sent as a cookie is (readSession checks the kind). Revoked (jetway logout, an admin, the
 * IdP disabled), expired and unknown tokens are refused alike, with one sentence.
 */
export async function authenticateCli(db: Db, headers: Headers, now: Date = new Date()): Promise<JetwaySession> {
  const token = bearerToken(headers);
  if (!token) throw invalidTokenError("no bearer token");
  const session = await readSession(db, token, now, "cli");
  if (!session) throw invalidTokenError("bearer token unknown, expired, revoked or not a CLI token");
  return session;
}
