import type { IdpConnection } from "@/lib/db/types";
import { parseStoredEmailDomains } from "@/lib/config/idp-identity-rules";
import type { IdpOptionsValues } from "../idp-options-form";

/** A stored connection as the options form's starting values. */
export function idpOptionsValues(idp: IdpConnection): IdpOptionsValues {
  return {
    name: idp.name,
    groupsAttribute: idp.groupsAttribute ?? "",
    emailAttribute: idp.emailAttribute ?? "",
    displayNameAttribute: idp.displayNameAttribute ?? "",
    signaturePolicy: idp.signaturePolicy,
    allowIdpInitiated: idp.allowIdpInitiated,
    listed: idp.listed,
    allowSha1: idp.allowSha1,
    signAuthnRequests: idp.signAuthnRequests,
    clockSkewSeconds: String(idp.clockSkewSeconds),
    maxAssertionAgeSeconds: String(idp.maxAssertionAgeSeconds),
    emailDomains: (parseStoredEmailDomains(idp.emailDomains) ?? []).join(", "),
    primary: idp.primary,
    allowCbcEncryption: idp.allowCbcEncryption,
  };
}
