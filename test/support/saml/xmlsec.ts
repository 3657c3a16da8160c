import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Verifies an XML signature with xmlsec1 (libxmlsec1/OpenSSL), independently of xml-crypto.
 * `node` picks which Signature: the one inside the Assertion, or the Response's own.
 */
export function xmlsecVerify(
  xml: string,
  certificatePem: string,
  node: "Assertion" | "Response",
): { ok: boolean; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "jetway-xmlsec-"));
  try {
    const xmlFile = path.join(dir, "doc.xml");
    const certFile = path.join(dir, "cert.pem");
    writeFileSync(xmlFile, xml);
    writeFileSync(certFile, certificatePem);
    const ns = node === "Assertion" ? "urn:oasis:names:tc:SAML:2.0:assertion" : "urn:oasis:names:tc:SAML:2.0:protocol";
    const result = spawnSync(
      "/usr/bin/xmlsec1",
      [
        "--verify",
        "--pubkey-cert-pem",
        certFile,
        `--id-attr:ID`,
        `${ns}:${node}`,
        "--node-xpath",
        `//*[local-name()='${node}' and namespace-uri()='${ns}']/*[local-name()='Signature']`,
        xmlFile,
      ],
      { encoding: "utf8" },
    );
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
