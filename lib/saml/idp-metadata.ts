import { z } from "zod";
import { describeCertificate, type CertificateInfo } from "./certificates";
import { BINDING, NS } from "./namespaces";
import { parseSamlXml } from "./parse-saml-xml";
import { childElements } from "./saml-dom";

export interface IdpMetadata {
  entityId: string;
  ssoRedirectUrl?: string;
  ssoPostUrl?: string;
  sloUrl?: string;
  wantAuthnRequestsSigned: boolean;
  nameIdFormats: string[];
  /** Every signing certificate (two or more during a rollover), deduplicated. */
  certificates: CertificateInfo[];
}

export class IdpMetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IdpMetadataError";
  }
}

const urlSchema = z.string().url();

function pickEntity(root: Element, entityId?: string): Element {
  if (root.namespaceURI === NS.md && root.localName === "EntityDescriptor") return root;
  if (root.namespaceURI === NS.md && root.localName === "EntitiesDescriptor") {
    const idps = Array.from(root.getElementsByTagNameNS(NS.md, "EntityDescriptor")).filter(
      (e) => childElements(e, NS.md, "IDPSSODescriptor").length > 0,
    );
    const match = entityId ? idps.filter((e) => e.getAttribute("entityID") === entityId) : idps;
    if (match.length === 1 && match[0]) return match[0];
    throw new IdpMetadataError(
      entityId
        ? `the metadata holds no identity provider with entityID ${entityId}`
        : `the metadata holds ${idps.length} identity providers; name the one to use`,
    );
  }
  throw new IdpMetadataError("the document is not SAML 2.0 metadata (no EntityDescriptor)");
}

function serviceUrl(descriptor: Element, localName: string, binding: string): string | undefined {
  const service = childElements(descriptor, NS.md, localName).find((s) => s.getAttribute("Binding") === binding);
  const location = service?.getAttribute("Location")?.trim();
  if (!location) return undefined;
  if (!urlSchema.safeParse(location).success || !/^https?:/i.test(location)) {
    throw new IdpMetadataError(`${localName} Location is not an http(s) URL: ${location}`);
  }
  return location;
}

/** Reads what Jetway needs from an IdP's SAML 2.0 metadata (Okta, Entra ID, ADFS, Google, Keycloak...). */
export function parseIdpMetadata(xml: string, options: { entityId?: string } = {}): IdpMetadata {
  let doc: Document;
  try {
    doc = parseSamlXml(xml);
  } catch (error) {
    throw new IdpMetadataError(`the metadata is not well-formed XML: ${(error as Error).message}`);
  }
  const root = doc.documentElement;
  if (!root) throw new IdpMetadataError("the metadata is empty");
  const entity = pickEntity(root, options.entityId);
  const entityId = entity.getAttribute("entityID")?.trim();
  if (!entityId) throw new IdpMetadataError("EntityDescriptor has no entityID");

  const descriptor = childElements(entity, NS.md, "IDPSSODescriptor").find((d) =>
    (d.getAttribute("protocolSupportEnumeration") ?? "").split(/\s+/).includes(NS.samlp),
  );
  if (!descriptor) throw new IdpMetadataError("the metadata has no SAML 2.0 IDPSSODescriptor");

  const ssoRedirectUrl = serviceUrl(descriptor, "SingleSignOnService", BINDING.redirect);
  const ssoPostUrl = serviceUrl(descriptor, "SingleSignOnService", BINDING.post);
  if (!ssoRedirectUrl && !ssoPostUrl) {
    throw new IdpMetadataError("the IdP offers no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding");
  }
  const sloUrl =
    serviceUrl(descriptor, "SingleLogoutService", BINDING.redirect) ??
    serviceUrl(descriptor, "SingleLogoutService", BINDING.post);

  const certificates = new Map<string, CertificateInfo>();
  for (const keyDescriptor of childElements(descriptor, NS.md, "KeyDescriptor")) {
    const use = keyDescriptor.getAttribute("use");
    if (use && use !== "signing") continue; // no "use" means both signing and encryption
    for (const x509 of Array.from(keyDescriptor.getElementsByTagNameNS(NS.ds, "X509Certificate"))) {
      const text = x509.textContent?.trim();
      if (!text) continue;
      let info: CertificateInfo;
      try {
        info = describeCertificate(text);
      } catch (error) {
        throw new IdpMetadataError(`a signing certificate cannot be read: ${(error as Error).message}`);
      }
      certificates.set(info.fingerprintSha256, info);
    }
  }
  if (certificates.size === 0) throw new IdpMetadataError("the metadata has no signing certificate");

  return {
    entityId,
    ssoRedirectUrl,
    ssoPostUrl,
    sloUrl,
    wantAuthnRequestsSigned: descriptor.getAttribute("WantAuthnRequestsSigned") === "true",
    nameIdFormats: childElements(descriptor, NS.md, "NameIDFormat")
      .map((n) => n.textContent?.trim() ?? "")
      .filter(Boolean),
    certificates: [...certificates.values()],
  };
}
