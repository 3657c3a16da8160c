import { X509Certificate, createPrivateKey, createSign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateKeyPairWithCertificate } from "./self-signed-cert";

describe("generateKeyPairWithCertificate", () => {
  it("makes a 2048-bit RSA key and a matching self-signed SHA-256 certificate", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const { privateKeyPem, certificatePem } = await generateKeyPairWithCertificate({
      commonName: "Jetway IdP, for AWS = test",
      validDays: 30,
      now,
    });
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);

    const cert = new X509Certificate(certificatePem);
    const key = createPrivateKey(privateKeyPem);
    expect(key.asymmetricKeyType).toBe("rsa");
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(cert.checkPrivateKey(key)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true); // self-signed
    expect(cert.subject).toContain("Jetway IdP");
    expect(cert.subject).toBe(cert.issuer);
    expect(new Date(cert.validFrom).getTime()).toBe(now.getTime());
    expect(new Date(cert.validTo).getTime()).toBe(now.getTime() + 30 * 86400_000);
    expect(cert.ca).toBe(false);

    // The signature algorithm is sha256WithRSAEncryption (OID 1.2.840.113549.1.1.11).
    expect(cert.raw.includes(Buffer.from("2a864886f70d01010b", "hex"))).toBe(true);

    // And the key signs what the cert verifies.
    const sig = createSign("sha256").update("data").sign(key);
    expect(verify("sha256", Buffer.from("data"), cert.publicKey, sig)).toBe(true);
  });

  it("honours bits and rejects weak or silly parameters", async () => {
    const { privateKeyPem } = await generateKeyPairWithCertificate({ commonName: "x", validDays: 1, bits: 3072 });
    expect(createPrivateKey(privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(3072);
    await expect(generateKeyPairWithCertificate({ commonName: "x", validDays: 1, bits: 1024 })).rejects.toThrow(/2048/);
    await expect(generateKeyPairWithCertificate({ commonName: "", validDays: 1 })).rejects.toThrow(/commonName/);
    await expect(generateKeyPairWithCertificate({ commonName: "x", validDays: 0 })).rejects.toThrow(/validDays/);
  });
});
