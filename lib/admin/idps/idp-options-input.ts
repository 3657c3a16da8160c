import { z } from "zod";
import { identityProviderConfigSchema } from "@/lib/config/config-schema";
import { emailDomainProblem, emailDomainsFromText, storedEmailDomains } from "@/lib/config/idp-identity-rules";
import { fieldErrorsOf, type FieldErrors } from "../action-state";

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

/** The options form of a connection, as posted (checkboxes are "on" or absent). */
export const idpOptionsFormSchema = z.object({
  name: z.string().trim().max(500).default(""),
  groupsAttribute: z.string().trim().max(1024).default(""),
  emailAttribute: z.string().trim().max(1024).default(""),
  displayNameAttribute: z.string().trim().max(1024).default(""),
  signaturePolicy: z.string().trim().max(20).default("assertion"),
  allowIdpInitiated: checkbox,
  listed: checkbox,
  allowSha1: checkbox,
  signAuthnRequests: checkbox,
  clockSkewSeconds: z.string().trim().max(10).default(""),
  maxAssertionAgeSeconds: z.string().trim().max(10).default(""),
  /** Comma- or newline-separated; stored as IdpConnection.emailDomains (a JSON array). */
  emailDomains: z.string().max(4000).default(""),
  primary: checkbox,
  allowCbcEncryption: checkbox,
});
export type IdpOptionsForm = z.output<typeof idpOptionsFormSchema>;

export interface IdpOptionsRow {
  name: string;
  groupsAttribute: string | null;
  emailAttribute: string | null;
  displayNameAttribute: string | null;
  signaturePolicy: string;
  allowIdpInitiated: boolean;
  listed: boolean;
  allowSha1: boolean;
  signAuthnRequests: boolean;
  clockSkewSeconds: number;
  maxAssertionAgeSeconds: number;
  /** JSON array of lower-case domains, or null. */
  emailDomains: string | null;
  primary: boolean;
  allowCbcEncryption: boolean;
}

const intIn = (text: string, min: number, max: number, fallback: number) => {
  if (text === "") return { ok: true as const, value: fallback };
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? { ok: true as const, value: n } : { ok: false as const };
};

/** Checks the options with the config file's own schema (so the connection still exports), with form-friendly messages. */
export function checkIdpOptions(
  id: string,
  form: IdpOptionsForm,
): { ok: true; row: IdpOptionsRow } | { ok: false; fieldErrors: FieldErrors } {
  const errors: FieldErrors = {};
  const skew = intIn(form.clockSkewSeconds, 0, 900, 180);
  if (!skew.ok) errors.clockSkewSeconds = ["Whole seconds from 0 to 900."];
  const age = intIn(form.maxAssertionAgeSeconds, 30, 3600, 300);
  if (!age.ok) errors.maxAssertionAgeSeconds = ["Whole seconds from 30 to 3600."];
  if (!form.name) errors.name = ["Enter a name people will recognise on the sign-in page."];
  const domains = emailDomainsFromText(form.emailDomains);
  const domainProblems = domains.map(emailDomainProblem).filter((p): p is string => p !== null);
  if (domainProblems.length > 0)
    errors.emailDomains = domainProblems.map((p) => `${p[0]!.toUpperCase()}${p.slice(1)}.`);
  const row: IdpOptionsRow = {
    name: form.name,
    groupsAttribute: form.groupsAttribute || null,
    emailAttribute: form.emailAttribute || null,
    displayNameAttribute: form.displayNameAttribute || null,
    signaturePolicy: form.signaturePolicy,
    allowIdpInitiated: form.allowIdpInitiated,
    listed: form.listed,
    allowSha1: form.allowSha1,
    signAuthnRequests: form.signAuthnRequests,
    clockSkewSeconds: skew.ok ? skew.value : 180,
    maxAssertionAgeSeconds: age.ok ? age.value : 300,
    emailDomains: storedEmailDomains(domains),
    primary: form.primary,
    allowCbcEncryption: form.allowCbcEncryption,
  };
  const asConfig = identityProviderConfigSchema.safeParse({
    id,
    metadataXml: "(unchanged)",
    ...row,
    emailDomains: domainProblems.length === 0 && domains.length > 0 ? domains : undefined,
    groupsAttribute: row.groupsAttribute ?? undefined,
    emailAttribute: row.emailAttribute ?? undefined,
    displayNameAttribute: row.displayNameAttribute ?? undefined,
  });
  if (!asConfig.success) {
    for (const [field, messages] of Object.entries(fieldErrorsOf(asConfig.error))) {
      errors[field] ??= field === "signaturePolicy" ? ["Choose assertion, response, either or both."] : messages;
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, fieldErrors: errors } : { ok: true, row };
}
