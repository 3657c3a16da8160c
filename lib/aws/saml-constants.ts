/**
 * What is particular to the SAML Jetway speaks to AWS. The namespaces and other SAML 2.0 URIs it
 * shares with the SP side are in lib/saml/namespaces.ts.
 */

/** AWS's attribute names; case-sensitive (id_roles_providers_create_saml_assertions.md). */
export const AWS_ATTRIBUTE = {
  role: "https://aws.amazon.com/SAML/Attributes/Role",
  roleSessionName: "https://aws.amazon.com/SAML/Attributes/RoleSessionName",
  sessionDuration: "https://aws.amazon.com/SAML/Attributes/SessionDuration",
  sourceIdentity: "https://aws.amazon.com/SAML/Attributes/SourceIdentity",
  principalTagPrefix: "https://aws.amazon.com/SAML/Attributes/PrincipalTag:",
  transitiveTagKeys: "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys",
} as const;

export const ALGORITHM = {
  rsaSha256: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  sha256: "http://www.w3.org/2001/04/xmlenc#sha256",
  excC14n: "http://www.w3.org/2001/10/xml-exc-c14n#",
  enveloped: "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
} as const;

/** STS's limit on the SAMLAssertion parameter (reference_iam-quotas.md). */
export const MAX_SAML_ASSERTION_BASE64_CHARS = 100_000;

/** The characters XML 1.0 allows, minus controls we never expect in names (\t, \n, \r included). */
export function hasUnsafeXmlChars(value: string): boolean {
  return /[^\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(value);
}
