import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface TestKeyPair {
  /** PKCS#8 PEM private key. */
  privateKeyPem: string;
  /** Self-signed X.509 certificate, PEM. */
  certPem: string;
}

const cache = new Map<string, TestKeyPair>();

/**
 * An RSA key and self-signed certificate made at test time with the openssl CLI, so no key is
 * ever committed. Cached per name for the life of the test process.
 */
export function testKeyPair(name = "test-idp", bits = 2048): TestKeyPair {
  const cacheKey = `${name}/${bits}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const dir = mkdtempSync(path.join(tmpdir(), "jetway-saml-key-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        `rsa:${bits}`,
        "-nodes",
        "-subj",
        `/CN=${name}`,
        "-days",
        "2",
        "-keyout",
        keyFile,
        "-out",
        certFile,
      ],
      { stdio: "ignore" },
    );
    const pair = { privateKeyPem: readFileSync(keyFile, "utf8"), certPem: readFileSync(certFile, "utf8") };
    cache.set(cacheKey, pair);
    return pair;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
