import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { SamlProviderConfig } from "../config";
import { NS, attr, childElements, descendants, parseXmlStrict, textOf } from "./xml-dom";

export interface ProviderMetadata {
  entityId: string;
  /** PEM certificates from the IdP's signing KeyDescriptors. */
  signingCerts: string[];
  loadedAt: Date;
}

/**
 * "invalid": IAM would refuse to create a provider from this metadata ("Could not parse metadata").
 * "unavailable": the sandbox could not read it (file missing, URL down): a set-up problem.
 */
export class MetadataError extends Error {
  constructor(
    message: string,
    readonly kind: "invalid" | "unavailable" = "invalid",
  ) {
    super(message);
  }
}

// reference_iam-quotas.md: "Keys per SAML provider: 10".
const MAX_KEYS_PER_PROVIDER = 10;
// troubleshoot_saml.md, "Error: Could not parse metadata": key size of at least 1024 bits.
const MIN_RSA_BITS = 1024;

export function parseProviderMetadata(xml: string): Omit<ProviderMetadata, "loadedAt"> {
  // troubleshoot_saml.md, "Could not parse metadata": UTF-8 without a byte order mark.
  if (xml.charCodeAt(0) === 0xfeff) throw new MetadataError("metadata starts with a byte order mark");
  let doc: Document;
  try {
    doc = parseXmlStrict(xml);
  } catch (err) {
    throw new MetadataError(`metadata is not well-formed XML: ${(err as Error).message}`);
  }
  const root = doc.documentElement;
  const entity =
    root.namespaceURI === NS.metadata && root.localName === "EntityDescriptor"
      ? root
      : descendants(root, NS.metadata, "EntityDescriptor")[0];
  if (!entity) throw new MetadataError("no md:EntityDescriptor");
  const entityId = attr(entity, "entityID");
  if (!entityId) throw new MetadataError("md:EntityDescriptor has no entityID");
  const idp = childElements(entity, NS.metadata, "IDPSSODescriptor")[0];
  if (!idp) throw new MetadataError("no md:IDPSSODescriptor");

  const signingCerts: string[] = [];
  for (const kd of childElements(idp, NS.metadata, "KeyDescriptor")) {
    const use = attr(kd, "use");
    if (use !== undefined && use !== "signing") continue;
    for (const certEl of descendants(kd, NS.dsig, "X509Certificate")) {
      const b64 = (textOf(certEl) ?? "").replace(/\s+/g, "");
      signingCerts.push(checkCertificate(b64));
    }
  }
  if (signingCerts.length === 0) throw new MetadataError("no signing certificate in md:IDPSSODescriptor");
  if (signingCerts.length > MAX_KEYS_PER_PROVIDER) {
    throw new MetadataError(`${signingCerts.length} keys; IAM allows ${MAX_KEYS_PER_PROVIDER} per SAML provider`);
  }
  return { entityId, signingCerts };
}

function checkCertificate(b64: string): string {
  const der = Buffer.from(b64, "base64");
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch (err) {
    throw new MetadataError(`unreadable X509Certificate: ${(err as Error).message}`);
  }
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== "rsa") {
    throw new MetadataError(`certificate key type ${key.asymmetricKeyType ?? "unknown"} is not RSA`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new MetadataError(`certificate key is ${bits} bits; IAM requires at least ${MIN_RSA_BITS}`);
  }
  // troubleshoot_saml.md: "the x.509 certificate must also be free of any repeated extensions".
  const dup = findRepeatedExtension(der);
  if (dup) throw new MetadataError(`certificate repeats extension ${dup}`);
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

interface Tlv {
  tag: number;
  start: number; // first content byte
  end: number; // one past the last content byte
}

function readTlv(buf: Buffer, offset: number): Tlv {
  const tag = buf[offset];
  let lenByte = buf[offset + 1];
  if (tag === undefined || lenByte === undefined) throw new Error("truncated DER");
  let pos = offset + 2;
  let len = lenByte;
  if (lenByte & 0x80) {
    const n = lenByte & 0x7f;
    if (n === 0 || n > 4) throw new Error("unsupported DER length");
    len = 0;
    for (let i = 0; i < n; i++) {
      lenByte = buf[pos++];
      if (lenByte === undefined) throw new Error("truncated DER");
      len = len * 256 + lenByte;
    }
  }
  if (pos + len > buf.length) throw new Error("truncated DER");
  return { tag, start: pos, end: pos + len };
}

function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = parent.start; pos < parent.end;) {
    const t = readTlv(buf, pos);
    out.push(t);
    pos = t.end;
  }
  return out;
}

/** Returns the hex OID of the first extension that appears twice, if any. */
export function findRepeatedExtension(der: Buffer): string | undefined {
  const cert = readTlv(der, 0);
  const tbs = children(der, cert)[0];
  if (!tbs) return undefined;
  const extsWrapper = children(der, tbs).find((t) => t.tag === 0xa3);
  if (!extsWrapper) return undefined;
  const extsSeq = children(der, extsWrapper)[0];
  if (!extsSeq) return undefined;
  const seen = new Set<string>();
  for (const ext of children(der, extsSeq)) {
    const oid = children(der, ext)[0];
    if (!oid || oid.tag !== 0x06) continue;
    const hex = der.subarray(oid.start, oid.end).toString("hex");
    if (seen.has(hex)) return hex;
    seen.add(hex);
  }
  return undefined;
}

/**
 * Metadata per provider ARN, loaded lazily. IAM stores the document uploaded at provider
 * creation; for the sandbox, metadataUrl lets the provider follow Jetway's live metadata, and it
 * is fetched again when a signature does not verify with the cached keys (key rollover).
 */
export class ProviderMetadataStore {
  private cache = new Map<string, ProviderMetadata>();
  private inflight = new Map<string, Promise<ProviderMetadata>>();

  constructor(
    private readonly providers: readonly SamlProviderConfig[],
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  has(arn: string): boolean {
    return this.providers.some((p) => p.arn === arn);
  }

  /** Whether a refresh could yield different keys (only URL-backed metadata changes). */
  isRefreshable(arn: string): boolean {
    return this.providers.find((p) => p.arn === arn)?.metadataUrl !== undefined;
  }

  async get(arn: string): Promise<ProviderMetadata> {
    return this.cache.get(arn) ?? this.load(arn);
  }

  async refresh(arn: string): Promise<ProviderMetadata> {
    return this.load(arn);
  }

  private load(arn: string): Promise<ProviderMetadata> {
    const pending = this.inflight.get(arn);
    if (pending) return pending;
    const p = this.loadUncached(arn).finally(() => this.inflight.delete(arn));
    this.inflight.set(arn, p);
    return p;
  }

  private async loadUncached(arn: string): Promise<ProviderMetadata> {
    const provider = this.providers.find((p) => p.arn === arn);
    if (!provider) throw new MetadataError(`no SAML provider ${arn}`, "unavailable");
    let xml: string;
    if (provider.metadataXml !== undefined) {
      xml = provider.metadataXml;
    } else if (provider.metadataFile !== undefined) {
      try {
        xml = await readFile(provider.metadataFile, "utf8");
      } catch (err) {
        throw new MetadataError(`cannot read ${provider.metadataFile}: ${(err as Error).message}`, "unavailable");
      }
    } else {
      const url = provider.metadataUrl!;
      let res: Response;
      try {
        res = await this.fetchImpl(url, { signal: AbortSignal.timeout(5000), redirect: "follow" });
      } catch (err) {
        throw new MetadataError(`cannot fetch ${url}: ${(err as Error).message}`, "unavailable");
      }
      if (!res.ok) throw new MetadataError(`cannot fetch ${url}: HTTP ${res.status}`, "unavailable");
      xml = await res.text();
    }
    const parsed = parseProviderMetadata(xml);
    const metadata: ProviderMetadata = { ...parsed, loadedAt: new Date() };
    this.cache.set(arn, metadata);
    return metadata;
  }
}
