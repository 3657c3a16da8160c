/**
 * The XML namespaces and other URIs of SAML 2.0 (core, bindings, metadata), XML Signature and XML
 * Encryption, named once for both sides of Jetway: lib/saml (reading IdPs' responses and metadata)
 * and lib/aws (writing the assertion and metadata for AWS). Keys are the prefixes the specifications
 * use (`samlp:Response`, `saml:Assertion`, `ds:Signature`). The sandbox keeps its own copies: it
 * shares no code with lib/.
 */
export const NS = {
  /** SAML 2.0 protocol (core 3): Response, Status, AuthnRequest; also metadata's protocolSupportEnumeration. */
  samlp: "urn:oasis:names:tc:SAML:2.0:protocol",
  /** SAML 2.0 assertion (core 2): Assertion, Issuer, Subject, Conditions, Attribute. */
  saml: "urn:oasis:names:tc:SAML:2.0:assertion",
  /** SAML 2.0 metadata: EntityDescriptor, IDPSSODescriptor, KeyDescriptor. */
  md: "urn:oasis:names:tc:SAML:2.0:metadata",
  /** XML Signature. */
  ds: "http://www.w3.org/2000/09/xmldsig#",
  /** XML Encryption. */
  xenc: "http://www.w3.org/2001/04/xmlenc#",
  xsi: "http://www.w3.org/2001/XMLSchema-instance",
  /** The namespace of `xmlns:` declarations themselves (for setAttributeNS). */
  xmlns: "http://www.w3.org/2000/xmlns/",
} as const;

export const NAMEID_FORMAT = {
  persistent: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
  entity: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity",
  emailAddress: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
} as const;

export const BINDING = {
  redirect: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
  post: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
} as const;

/** SubjectConfirmation Method of Web SSO (profiles 4.1.4.1). */
export const CM_BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
export const STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
export const ATTRNAME_FORMAT_URI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri";
export const AUTHN_CONTEXT_UNSPECIFIED = "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified";
