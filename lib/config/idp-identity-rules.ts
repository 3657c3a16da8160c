/**
 * Which IdP may speak for which people in AWS (issue 9, item 4). The AWS identity
 * (RoleSessionName and SourceIdentity, lib/aws/aws-identity.ts) comes from the email an IdP
 * asserts; without these rules a contractor's IdP asserting `alice@corp.com` would become Alice
 * in CloudTrail. So, once there are two or more connections:
 * - each lists the email domains it may assert (`emailDomains`), and no domain is listed twice;
 * - at most one is `primary` (its people keep their bare email; the others' carry `{id}+`);
 * - ids stay short enough for the `{id}+` prefix to fit AWS's 64 characters with room to spare.
 * Written once here and used by config load and apply, the admin import and the admin IdP forms.
 */

export interface IdentityRuleConnection {
  id: string;
  name: string;
  /** Lower-case domains; null (or empty) when none are listed. */
  emailDomains: string[] | null;
  primary: boolean;
}

/**
 * The longest connection id once there are two connections: `{id}+` then leaves 15 of AWS's
 * 64 characters, enough for a readable start of the name and its 8-character hash.
 */
export const MAX_PREFIXED_ID_LENGTH = 48;

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// The last label is alphabetic, or an IDN TLD in its punycode form (xn--…).
const TOP_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** Lower-cased and trimmed: how a domain is compared and stored. */
export function normalizeEmailDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, "");
}

/** A domain name as email addresses use it (`corp.com`, `eu.corp.example`): at least two labels, no wildcard, no "@". */
export function isEmailDomain(domain: string): boolean {
  if (domain.length === 0 || domain.length > 253) return false;
  const labels = domain.split(".");
  if (labels.length < 2) return false;
  return labels.every((l) => LABEL.test(l)) && TOP_LABEL.test(labels[labels.length - 1]!);
}

/** The sentence for a value that is not a domain name (shared by the config schema and the admin form). */
export function emailDomainProblem(domain: string): string | null {
  return isEmailDomain(domain)
    ? null
    : `"${domain}" is not a domain name (write it like corp.com, without "@" or wildcards)`;
}

/** Reads IdpConnection.emailDomains (a JSON array of strings, or null). Anything unreadable counts as no domains. */
export function parseStoredEmailDomains(stored: string | null): string[] | null {
  if (!stored) return null;
  try {
    const parsed: unknown = JSON.parse(stored);
    if (!Array.isArray(parsed)) return null;
    const domains = parsed.filter((d): d is string => typeof d === "string").map(normalizeEmailDomain);
    return domains.length > 0 ? domains : null;
  } catch {
    return null;
  }
}

/** IdpConnection.emailDomains as stored: lower-case, de-duplicated, sorted; null for none. */
export function storedEmailDomains(domains: readonly string[] | null | undefined): string | null {
  if (!domains || domains.length === 0) return null;
  return JSON.stringify([...new Set(domains.map(normalizeEmailDomain))].sort());
}

/**
 * The primary connection: the one flagged, else the oldest (createdAt, then id), so adding a
 * second IdP never changes the AWS identity of the first one's people.
 */
export function effectivePrimaryId(
  connections: readonly { id: string; primary: boolean; createdAt: Date }[],
): string | undefined {
  const flagged = connections.find((c) => c.primary);
  if (flagged) return flagged.id;
  const oldest = [...connections].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )[0];
  return oldest?.id;
}

const named = (c: IdentityRuleConnection) => `"${c.name}" (${c.id})`;

/** A broken rule: its sentence, the connections it names and the setting to change. */
export interface IdentityRuleIssue {
  message: string;
  connectionIds: string[];
  field: "emailDomains" | "primary" | "id";
}

/**
 * The broken rules, one sentence each, naming the connection and what to do; empty when the
 * connections are fine. With one connection nothing is required (it is the primary and may
 * assert any domain unless it lists some).
 */
export function identityRuleProblems(connections: readonly IdentityRuleConnection[]): string[] {
  return identityRuleIssues(connections).map((i) => i.message);
}

/** The same, with the connections and the field each concerns (for a form's field errors). */
export function identityRuleIssues(connections: readonly IdentityRuleConnection[]): IdentityRuleIssue[] {
  const issues: IdentityRuleIssue[] = [];
  const many = connections.length >= 2;
  const count = `with ${connections.length} identity providers`;

  for (const c of connections) {
    for (const domain of c.emailDomains ?? []) {
      const problem = emailDomainProblem(normalizeEmailDomain(domain));
      if (problem)
        issues.push({ message: `${named(c)}: email domain ${problem}.`, connectionIds: [c.id], field: "emailDomains" });
    }
    if (many && (c.emailDomains ?? []).length === 0) {
      issues.push({
        message: `${named(c)} lists no email domains: ${count}, each must list the email domains its people's addresses use (emailDomains, e.g. corp.com), so that one IdP cannot claim another's people in AWS.`,
        connectionIds: [c.id],
        field: "emailDomains",
      });
    }
    if (many && c.id.length > MAX_PREFIXED_ID_LENGTH) {
      issues.push({
        message: `${named(c)} has an id longer than ${MAX_PREFIXED_ID_LENGTH} characters: ${count}, its id prefixes AWS session names (64 characters at most); give it a shorter id.`,
        connectionIds: [c.id],
        field: "id",
      });
    }
  }

  const owners = new Map<string, IdentityRuleConnection[]>();
  for (const c of connections) {
    for (const domain of new Set((c.emailDomains ?? []).map(normalizeEmailDomain)))
      owners.set(domain, [...(owners.get(domain) ?? []), c]);
  }
  for (const [domain, listedBy] of owners) {
    if (listedBy.length < 2) continue;
    issues.push({
      message: `The email domain ${domain} is listed by ${listedBy.map(named).join(" and ")}: a domain can belong to one identity provider only, or either could act as the other's people in AWS; remove it from all but one.`,
      connectionIds: listedBy.map((c) => c.id),
      field: "emailDomains",
    });
  }

  const primaries = connections.filter((c) => c.primary);
  if (primaries.length > 1) {
    issues.push({
      message: `${primaries.map(named).join(" and ")} are ${primaries.length === 2 ? "both" : "all"} marked primary: only one identity provider's people keep their bare email as AWS identity; unmark all but one.`,
      connectionIds: primaries.map((c) => c.id),
      field: "primary",
    });
  }
  return issues;
}

/** The same rules over a config file's identityProviders (config load, the admin import and applyConfig). */
export function configIdentityProblems(
  identityProviders: readonly { id: string; name: string; emailDomains?: string[]; primary: boolean }[],
): string[] {
  return identityRuleProblems(
    identityProviders.map((i) => ({
      id: i.id,
      name: i.name,
      emailDomains: i.emailDomains ?? null,
      primary: i.primary,
    })),
  ).map((p) => `identityProviders: ${p}`);
}

/** Domains typed in an admin form, separated by commas, semicolons, spaces or new lines: normalised, de-duplicated. */
export function emailDomainsFromText(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map(normalizeEmailDomain)
        .filter(Boolean),
    ),
  ];
}
