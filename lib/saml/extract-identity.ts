import { NAMEID_FORMAT } from "./namespaces";
import type { ValidatedAssertion } from "./validate-response";

/** Attribute names the big IdPs use by default, most specific first (Okta, Entra ID, AD FS, Google, Shibboleth). */
export const DEFAULT_GROUP_ATTRIBUTES = [
  "groups",
  "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
  "http://schemas.xmlsoap.org/claims/Group",
  "memberOf",
  "Group",
] as const;

export const DEFAULT_EMAIL_ATTRIBUTES = [
  "email",
  "mail",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
  "urn:oid:0.9.2342.19200300.100.1.3",
] as const;

export const DEFAULT_DISPLAY_NAME_ATTRIBUTES = [
  "displayName",
  "name",
  "http://schemas.microsoft.com/identity/claims/displayname",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
  "urn:oid:2.16.840.1.113730.3.1.241",
] as const;

const GIVEN_NAME_ATTRIBUTES = [
  "givenName",
  "givenname",
  "firstName",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
  "urn:oid:2.5.4.42",
];
const SURNAME_ATTRIBUTES = [
  "surname",
  "sn",
  "lastName",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
  "urn:oid:2.5.4.4",
];

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface IdentityAttributeNames {
  groupsAttribute?: string | null;
  emailAttribute?: string | null;
  displayNameAttribute?: string | null;
}

export interface ExtractedIdentity {
  email?: string;
  displayName?: string;
  groups: string[];
}

/**
 * Who the validated assertion names, in Jetway's terms. A configured attribute name wins and
 * has no fallback (an admin who named one wants exactly that one); otherwise the first default
 * that is present with a non-empty value.
 */
export function extractIdentity(a: ValidatedAssertion, names: IdentityAttributeNames): ExtractedIdentity {
  const attributes = a.attributes;
  const candidates = (configured: string | null | undefined, defaults: readonly string[]) =>
    configured && configured.trim() ? [configured.trim()] : defaults;

  const groupsName = candidates(names.groupsAttribute, DEFAULT_GROUP_ATTRIBUTES).find((n) => hasOwn(attributes, n));
  const groups = groupsName ? cleanList(attributes[groupsName] ?? []) : [];

  let email = firstValue(attributes, candidates(names.emailAttribute, DEFAULT_EMAIL_ATTRIBUTES));
  if (!email && !names.emailAttribute) {
    const nameId = a.nameId.trim();
    if (a.nameIdFormat === NAMEID_FORMAT.emailAddress || emailPattern.test(nameId)) email = nameId || undefined;
  }

  let displayName = firstValue(attributes, candidates(names.displayNameAttribute, DEFAULT_DISPLAY_NAME_ATTRIBUTES));
  if (!displayName && !names.displayNameAttribute) {
    const given = firstValue(attributes, GIVEN_NAME_ATTRIBUTES);
    const sur = firstValue(attributes, SURNAME_ATTRIBUTES);
    displayName = [given, sur].filter(Boolean).join(" ") || undefined;
  }

  return { email, displayName, groups };
}

function hasOwn(attributes: Record<string, string[]>, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(attributes, name);
}

function firstValue(attributes: Record<string, string[]>, names: readonly string[]): string | undefined {
  for (const name of names) {
    if (!hasOwn(attributes, name)) continue;
    const value = (attributes[name] ?? []).map((v) => v.trim()).find((v) => v !== "");
    if (value) return value;
  }
  return undefined;
}

/** Trimmed, empties dropped, duplicates removed, first occurrence's order kept. */
function cleanList(values: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of values) {
    const v = raw.trim();
    if (v === "" || seen.has(v)) continue;
    seen.add(v);
    out.push(v);
  }
  return out;
}
