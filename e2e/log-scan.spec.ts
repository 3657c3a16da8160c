/**
 * Runs after every other spec (Playwright's "log-hygiene" project): every log the run wrote —
 * Jetway's (.e2e/jetway.log), the AWS sandbox's and SimpleSAMLphp's — must hold no secret by
 * *shape*: PEM private keys, the e2e JETWAY_SECRET, AWS secret access keys and session tokens,
 * sign-in tokens and SAML responses. log-hygiene.spec.ts checks the exact values the sandbox
 * issued; this spec catches what no list of values knows about (an IdP or SP private key, an
 * assertion dumped while debugging, the attack suite's own SAMLResponses echoed back).
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_DIR, E2E_JETWAY_SECRET, JETWAY_LOG_FILE } from "./support/constants";

/** Every *.log under .e2e (reports excluded): Jetway, the sandbox, SimpleSAMLphp's php -S. */
function logFiles(dir: string = E2E_DIR): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "reports") out.push(...logFiles(full));
    else if (entry.isFile() && entry.name.endsWith(".log")) out.push(full);
  }
  return out;
}

const SECRET_SHAPES: Array<[string, RegExp]> = [
  ["a PEM private key", /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/],
  ["the e2e JETWAY_SECRET", new RegExp(E2E_JETWAY_SECRET.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))],
  ["an AWS session token", /\b(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE|FQoGZXIvYXdzE)[A-Za-z0-9+/=]{20,}/],
  ["an AWS secret access key", /(?:secret_?access_?key|SecretAccessKey|sessionKey)["'\s]*[:=]\s*["']?[A-Za-z0-9/+]{40}\b/i],
  ["a session token value", /(?:session_?token|SessionToken)["'\s]*[:=]\s*["']?[A-Za-z0-9/+=]{40,}/i],
  ["a sign-in token", /SigninToken["'\s]*[:=]\s*["']?[A-Za-z0-9_\-+/=%]{16,}/],
  ["a SAMLResponse value", /SAMLResponse["'\s]*[:=]\s*["']?[A-Za-z0-9+/=%]{40,}/],
  // base64 of "<samlp:Response", "<saml2p:Response", "<?xml version=": an encoded response in the clear
  ["a base64 SAML message", /PHNhbWxwOlJlc3BvbnNl|PHNhbWwycDpSZXNwb25zZ|PD94bWwgdmVyc2lvbj0i/],
  ["a console sign-in URL", /[?&]Action=login&[^\s"']*SigninToken=/],
];

test("the shapes recognise what they are meant to (so a clean scan means something)", () => {
  const samples = [
    "-----BEGIN PRIVATE KEY-----",
    "-----BEGIN RSA PRIVATE KEY-----",
    `{"secret":"${E2E_JETWAY_SECRET}"}`,
    `token IQoJb3JpZ2luX2Vj${"A".repeat(40)}`,
    `"SecretAccessKey":"${"a1B2".repeat(10)}"`,
    `{"sessionToken":"${"Zm9v".repeat(12)}"}`,
    `{"SigninToken":"${"x".repeat(32)}"}`,
    `SAMLResponse=${"PHNhbWxw".repeat(6)}`,
    Buffer.from('<samlp:Response ID="_1">').toString("base64"),
    "https://signin.aws.amazon.com/federation?Action=login&Issuer=x&SigninToken=abc",
  ];
  for (const sample of samples) {
    expect(SECRET_SHAPES.some(([, pattern]) => pattern.test(sample)), sample.slice(0, 40)).toBe(true);
  }
  // And what the logs legitimately hold does not trip them.
  for (const benign of ['{"msg":"audit","event":"saml.login_failed","reason":"saml.signature_invalid: Assertion signature does not verify"}', "GET /saml2/idp/SSOService.php?SAMLRequest=fZJNb"]) {
    expect(SECRET_SHAPES.filter(([, pattern]) => pattern.test(benign)).map(([what]) => what)).toEqual([]);
  }
});

test("no log of the run holds a private key, JETWAY_SECRET, AWS credentials, sign-in tokens or SAML responses", () => {
  const files = logFiles();
  expect(files).toContain(JETWAY_LOG_FILE);
  expect(fs.statSync(JETWAY_LOG_FILE).size).toBeGreaterThan(0);
  const findings: string[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    lines.forEach((line, index) => {
      for (const [what, pattern] of SECRET_SHAPES) {
        const match = pattern.exec(line);
        // Name the place and the kind, never the secret itself.
        if (match) findings.push(`${path.relative(E2E_DIR, file)}:${index + 1}: ${what} (${match[0].slice(0, 12)}…)`);
      }
    });
  }
  expect(findings, `secrets in the logs of ${files.map((f) => path.relative(E2E_DIR, f)).join(", ")}`).toEqual([]);
});
