/** SAML 2.0 and XML-DSig names used when Jetway speaks SAML to AWS. */
export const NS = {
  saml: "urn:oasis:names:tc:SAML:2.0:assertion",
  samlp: "urn:oasis:names:tc:SAML:2.0:protocol",
  md: "urn:oasis:names:tc:SAML:2.0:metadata",
  ds: "http://www.w3.org/2000/09/xmldsig#",
  xmlns: "http://www.w3.org/2000/xmlns/",
} as const;

export const NAMEID_FORMAT = {
  persistent: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
  entity: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity",
} as const;

export const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
export const STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
export const ATTRNAME_FORMAT_URI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri";
export const AUTHN_CONTEXT_UNSPECIFIED = "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified";
export const PROTOCOL_SAML2 = "urn:oasis:names:tc:SAML:2.0:protocol";
export const BINDING = {
  redirect: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
  post: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
} as const;

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
