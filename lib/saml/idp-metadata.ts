import { z } from "zod";
import { describeCertificate, type CertificateInfo } from "./certificates";
import { parseSamlXml } from "./parse-saml-xml";

const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
export const BINDING_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
export const BINDING_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

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

function children(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1) {
      const el = node as Element;
      if (el.namespaceURI === ns && el.localName === localName) out.push(el);
    }
  }
  return out;
}

function pickEntity(root: Element, entityId?: string): Element {
  if (root.namespaceURI === MD && root.localName === "EntityDescriptor") return root;
  if (root.namespaceURI === MD && root.localName === "EntitiesDescriptor") {
    const idps = Array.from(root.getElementsByTagNameNS(MD, "EntityDescriptor")).filter(
      (e) => children(e, MD, "IDPSSODescriptor").length > 0,
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
  const service = children(descriptor, MD, localName).find((s) => s.getAttribute("Binding") === binding);
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

  const descriptor = children(entity, MD, "IDPSSODescriptor").find((d) =>
    (d.getAttribute("protocolSupportEnumeration") ?? "").split(/\s+/).includes(PROTOCOL),
  );
  if (!descriptor) throw new IdpMetadataError("the metadata has no SAML 2.0 IDPSSODescriptor");

  const ssoRedirectUrl = serviceUrl(descriptor, "SingleSignOnService", BINDING_REDIRECT);
  const ssoPostUrl = serviceUrl(descriptor, "SingleSignOnService", BINDING_POST);
  if (!ssoRedirectUrl && !ssoPostUrl) {
    throw new IdpMetadataError("the IdP offers no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding");
  }
  const sloUrl =
    serviceUrl(descriptor, "SingleLogoutService", BINDING_REDIRECT) ??
    serviceUrl(descriptor, "SingleLogoutService", BINDING_POST);

  const certificates = new Map<string, CertificateInfo>();
  for (const keyDescriptor of children(descriptor, MD, "KeyDescriptor")) {
    const use = keyDescriptor.getAttribute("use");
    if (use && use !== "signing") continue; // no "use" means both signing and encryption
    for (const x509 of Array.from(keyDescriptor.getElementsByTagNameNS(DS, "X509Certificate"))) {
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
    nameIdFormats: children(descriptor, MD, "NameIDFormat")
      .map((n) => n.textContent?.trim() ?? "")
      .filter(Boolean),
    certificates: [...certificates.values()],
  };
}
