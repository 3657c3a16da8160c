import { AWS_NAME_PATTERN, reduceToAwsName } from "./aws-name";
import { isValidRoleSessionName } from "./role-session-name";
import { isValidSourceIdentity } from "./source-identity";

/**
 * The AWS identity of a person: the value sent as both RoleSessionName (CloudTrail shows
 * assumed-role/{role}/{value}) and SourceIdentity (immutable for the session and every role it
 * chains to; `aws:SourceIdentity` policies match it). It comes from the email the IdP asserts,
 * so it must be impossible for one IdP to produce a value another IdP's person has (issue 9,
 * item 4: a contractor's IdP asserting alice@corp.com must not become Alice in AWS).
 *
 * - The email counts only if its domain is one the connection lists (emailDomains, checked
 *   case-insensitively and exactly), or the connection lists none and is the only one.
 * - Primary connection, email counted, and AWS takes it as it is → the bare email.
 * - Every other case → `{connection id}+{rest}`: rest is the counted email, or else the NameID
 *   with "@" written "_at_", so an address the connection may not assert never looks like one.
 *   When the rest has to be reduced to AWS's characters or length, its "@" become "_at_" too,
 *   and it gets "-" and 8 hex characters of SHA-256 of the full rest.
 *
 * Why two connections never produce the same value (aws-identity.test.ts checks each case):
 * - bare values are unchanged emails whose one "@" is followed by a primary domain;
 * - prefixed values start with `{id}+`, kept whole (ids are slugs, so they hold no "+", and
 *   identityRuleProblems keeps them short enough); after it comes either an email of that
 *   connection's own domains (which no other connection lists) or text with no "@" at all.
 * So a bare value is never another connection's prefixed value (its domain differs, or it has an
 * "@" where the other has none), never the primary's own prefixed value (those have no "@" after
 * the prefix), and two prefixed values of different connections differ before the first "+".
 */

export interface AwsIdentityConnection {
  id: string;
  /** The effective primary (flagged, or the oldest connection when none is). */
  primary: boolean;
  /** Lower-case domains the connection may assert; null when it lists none. */
  emailDomains: string[] | null;
  /** It is the only connection: then listing no domains lets it assert any. */
  sole: boolean;
}

export type AwsIdentityForm = "email" | "prefixed-email" | "prefixed-name-id";

export interface AwsIdentity {
  /** RoleSessionName and SourceIdentity. */
  value: string;
  /** Which case produced it (for the audit log and tests). */
  form: AwsIdentityForm;
}

/** The domain of an address with exactly one "@" and no spaces, lower-cased; undefined otherwise. */
function emailDomainOf(email: string): string | undefined {
  const match = /^[^@\s]+@([^@\s]+)$/.exec(email);
  return match?.[1]?.toLowerCase();
}

/** Whether the connection may assert this email as its person's address. */
export function isEmailAllowed(
  connection: Pick<AwsIdentityConnection, "emailDomains" | "sole">,
  email: string | undefined,
): email is string {
  if (!email) return false;
  const domain = emailDomainOf(email);
  if (!domain) return false;
  if (connection.emailDomains && connection.emailDomains.length > 0) return connection.emailDomains.includes(domain);
  return connection.sole;
}

const AT = /@/g;

export function awsIdentityFor(input: {
  connection: AwsIdentityConnection;
  email?: string | null;
  nameId: string;
}): AwsIdentity {
  const { connection, nameId } = input;
  const email = input.email ?? undefined;
  const allowed = isEmailAllowed(connection, email);
  const identity =
    allowed && connection.primary && AWS_NAME_PATTERN.test(email)
      ? { value: email, form: "email" as const }
      : prefixed(connection.id, allowed ? email : undefined, nameId);
  // ":" is outside the character set, so "aws:" can never lead; both are checked again when minting.
  if (!isValidRoleSessionName(identity.value) || !isValidSourceIdentity(identity.value)) {
    throw new Error(`derived an invalid AWS identity for connection ${connection.id}`);
  }
  return identity;
}

function prefixed(connectionId: string, allowedEmail: string | undefined, nameId: string): AwsIdentity {
  const form: AwsIdentityForm = allowedEmail ? "prefixed-email" : "prefixed-name-id";
  const prefix = `${connectionId}+`;
  const room = 64 - prefix.length;
  const source = allowedEmail ?? nameId;
  if (room < 10) {
    // Only with a single connection (identityRuleProblems refuses such ids once there are two):
    // no other IdP to be told apart from, so the whole value is reduced, prefix and all.
    return { value: reduceToAwsName(`${prefix}${source.replace(AT, "_at_")}`, "identity"), form };
  }
  if (allowedEmail && AWS_NAME_PATTERN.test(allowedEmail) && allowedEmail.length <= room)
    return { value: `${prefix}${allowedEmail}`, form };
  return {
    value: `${prefix}${reduceToAwsName(source.replace(AT, "_at_"), "identity", { maxLength: room, minLength: 1 })}`,
    form,
  };
}
