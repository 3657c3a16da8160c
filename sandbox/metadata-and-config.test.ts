import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSandboxConfigFile, parseSandboxConfig, SandboxConfigError } from "./config";
import { findRepeatedExtension, MetadataError, parseProviderMetadata } from "./saml/provider-metadata";
import { buildIdpMetadata, generateTestKeyPair, type TestKeyPair } from "./testing/saml-test-idp";

// What IAM refuses when a SAML provider is created (troubleshoot_saml.md, "Could not parse
// metadata"), and the sandbox's own configuration.

describe("provider metadata", () => {
  const key = generateTestKeyPair(2048);

  it("reads the entityID and the signing certificates", () => {
    const m = parseProviderMetadata(buildIdpMetadata("https://idp.example.com", [key]));
    expect(m.entityId).toBe("https://idp.example.com");
    expect(m.signingCerts).toHaveLength(1);
    expect(m.signingCerts[0]).toContain("BEGIN CERTIFICATE");
  });

  it("refuses a byte order mark", () => {
    expect(() => parseProviderMetadata(`\uFEFF${buildIdpMetadata("https://idp.example.com", [key])}`)).toThrow(
      /byte order mark/,
    );
  });

  it("refuses a key under 1024 bits", () => {
    expect(() =>
      parseProviderMetadata(buildIdpMetadata("https://idp.example.com", [generateTestKeyPair(512)])),
    ).toThrow(/at least 1024/);
  });

  it("refuses more than 10 keys (reference_iam-quotas.md)", () => {
    const eleven: TestKeyPair[] = Array.from({ length: 11 }, () => key);
    expect(() => parseProviderMetadata(buildIdpMetadata("https://idp.example.com", eleven))).toThrow(
      /10 per SAML provider/,
    );
  });

  it("refuses a non-RSA key", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sandbox-ec-"));
    try {
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:P-256",
          "-nodes",
          "-keyout",
          path.join(dir, "k"),
          "-out",
          path.join(dir, "c"),
          "-days",
          "1",
          "-subj",
          "/CN=ec",
        ],
        { stdio: "ignore" },
      );
      const pem = readFileSync(path.join(dir, "c"), "utf8");
      const ec = {
        privateKeyPem: "",
        certPem: pem,
        certBase64: pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""),
      };
      expect(() => parseProviderMetadata(buildIdpMetadata("https://idp.example.com", [ec]))).toThrow(/not RSA/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a DOCTYPE and metadata without entityID", () => {
    expect(() => parseProviderMetadata(`<!DOCTYPE x>${buildIdpMetadata("https://idp.example.com", [key])}`)).toThrow(
      MetadataError,
    );
    expect(() =>
      parseProviderMetadata(buildIdpMetadata("https://idp.example.com", [key]).replace(/ entityID="[^"]*"/, "")),
    ).toThrow(/entityID/);
  });

  it("finds a repeated certificate extension", () => {
    const tlv = (tag: number, ...content: Buffer[]) => {
      const body = Buffer.concat(content);
      return Buffer.concat([Buffer.from([tag, body.length]), body]);
    };
    const basicConstraints = tlv(
      0x30,
      tlv(0x06, Buffer.from([0x55, 0x1d, 0x13])),
      tlv(0x04, Buffer.from([0x30, 0x00])),
    );
    const keyUsage = tlv(0x30, tlv(0x06, Buffer.from([0x55, 0x1d, 0x0f])), tlv(0x04, Buffer.from([0x03, 0x01, 0x00])));
    const cert = (...exts: Buffer[]) =>
      tlv(0x30, tlv(0x30, tlv(0x02, Buffer.from([1])), tlv(0xa3, tlv(0x30, ...exts))));
    expect(findRepeatedExtension(cert(basicConstraints, keyUsage))).toBeUndefined();
    expect(findRepeatedExtension(cert(basicConstraints, keyUsage, basicConstraints))).toBe("551d13");
    const real = Buffer.from(key.certBase64, "base64");
    expect(findRepeatedExtension(real)).toBeUndefined();
  });
});

describe("sandbox config", () => {
  it("loads the demo config", () => {
    const cfg = loadSandboxConfigFile(path.join(__dirname, "demo.config.yaml"));
    expect(cfg.roles.length).toBeGreaterThan(0);
    expect(cfg.regions.disabled).toContain("me-south-1");
    expect(cfg.clockSkewSeconds).toBe(60);
  });

  it("resolves metadataFile against the config file's directory", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sandbox-cfg-"));
    try {
      const file = path.join(dir, "sandbox.yaml");
      writeFileSync(
        file,
        "samlProviders:\n  - arn: arn:aws:iam::111111111111:saml-provider/X\n    metadataFile: idp.xml\n",
      );
      expect(loadSandboxConfigFile(file).samlProviders[0]?.metadataFile).toBe(path.join(dir, "idp.xml"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names what is wrong", () => {
    const provider = "arn:aws:iam::111111111111:saml-provider/X";
    expect(() => parseSandboxConfig({ samlProviders: [{ arn: provider }] })).toThrow(
      /exactly one of metadataUrl, metadataFile, metadataXml/,
    );
    expect(() =>
      parseSandboxConfig({ roles: [{ arn: "arn:aws:iam::111111111111:role/R", trustedProviders: [provider] }] }),
    ).toThrow(/roles\.0\.trustedProviders: .* is not among samlProviders/);
    expect(() =>
      parseSandboxConfig({
        samlProviders: [{ arn: provider, metadataXml: "<x/>" }],
        roles: [{ arn: "arn:aws:iam::111111111111:role/R", trustedProviders: [provider], maxSessionDuration: 60 }],
      }),
    ).toThrow(SandboxConfigError);
  });
});
