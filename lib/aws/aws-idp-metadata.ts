import { X509Certificate } from "node:crypto";
import { BINDING, NAMEID_FORMAT, NS } from "@/lib/saml/namespaces";
import { hasUnsafeXmlChars } from "./saml-constants";
import { appendElement as el, createXmlDocument, serializeXml } from "./xml-dom";

export interface BuildAwsIdpMetadataInput {
  /** Jetway's AWS-side entityID; the Issuer of every assertion it mints. */
  entityId: string;
  /** The signing certificates (PEM): the active one and, during a rollover, the next. */
  certificatesPem: readonly string[];
  /** Where a browser could start a sign-in (HTTP-Redirect and HTTP-POST bindings). */
  ssoUrl?: string;
}

/** IAM takes at most 10 keys per SAML provider (reference_iam-quotas.md). */
export const MAX_METADATA_CERTIFICATES = 10;

/** The base64 DER body of a PEM certificate, after checking it is one IAM will accept. */
function certificateBody(pem: string, index: number): string {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new Error(`certificate ${index + 1} is not a PEM X.509 certificate`);
  }
  const bits = cert.publicKey.asymmetricKeyDetails?.modulusLength;
  // troubleshoot_saml.md: IAM refuses metadata whose certificate key is under 1024 bits.
  if (cert.publicKey.asymmetricKeyType !== "rsa" || !bits || bits < 1024) {
    throw new Error(`certificate ${index + 1} must carry an RSA key of at least 1024 bits`);
  }
  return cert.raw.toString("base64");
}

/**
 * The SAML metadata an AWS administrator uploads to IAM (create-saml-provider) to trust Jetway:
 * an EntityDescriptor with one IDPSSODescriptor, one signing KeyDescriptor per certificate, the
 * persistent NameID format and, when given, the SSO endpoints. Built with DOM calls.
 * Note: the SAML metadata schema wants at least one SingleSignOnService; pass `ssoUrl`.
 */
export function buildAwsIdpMetadata(input: BuildAwsIdpMetadataInput): string {
  if (!input.entityId || hasUnsafeXmlChars(input.entityId)) throw new Error("entityId must be non-empty text");
  const certs = input.certificatesPem;
  if (certs.length < 1 || certs.length > MAX_METADATA_CERTIFICATES) {
    throw new Error(`metadata needs 1 to ${MAX_METADATA_CERTIFICATES} certificates, got ${certs.length}`);
  }
  const bodies = certs.map(certificateBody);
  if (new Set(bodies).size !== bodies.length) throw new Error("the same certificate is listed twice");
  if (input.ssoUrl !== undefined && !/^https?:\/\/\S+$/.test(input.ssoUrl))
    throw new Error("ssoUrl must be an http(s) URL");

  const { doc, root } = createXmlDocument(NS.md, "md:EntityDescriptor", { md: NS.md, ds: NS.ds });
  root.setAttribute("entityID", input.entityId);

  const idp = el(root, NS.md, "md:IDPSSODescriptor", {
    WantAuthnRequestsSigned: "false",
    protocolSupportEnumeration: NS.samlp,
  });
  for (const body of bodies) {
    const keyDescriptor = el(idp, NS.md, "md:KeyDescriptor", { use: "signing" });
    const x509Data = el(el(keyDescriptor, NS.ds, "ds:KeyInfo"), NS.ds, "ds:X509Data");
    el(x509Data, NS.ds, "ds:X509Certificate", {}, body);
  }
  el(idp, NS.md, "md:NameIDFormat", {}, NAMEID_FORMAT.persistent);
  if (input.ssoUrl) {
    el(idp, NS.md, "md:SingleSignOnService", { Binding: BINDING.redirect, Location: input.ssoUrl });
    el(idp, NS.md, "md:SingleSignOnService", { Binding: BINDING.post, Location: input.ssoUrl });
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serializeXml(doc)}`;
}
