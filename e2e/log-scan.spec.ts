/**
 * Runs after every other spec (Playwright's "log-hygiene" project): every log the run wrote —
 * Jetway's (.e2e/jetway.log), the AWS sandbox's and SimpleSAMLphp's — must hold no secret by
 * *shape*: PEM private keys, the e2e JETWAY_SECRET, AWS secret access keys and session tokens,
 * sign-in tokens and SAML responses, and the command line's bearer tokens and device codes (issue 11:
 * 256 random bits, base64url). log-hygiene.spec.ts checks the exact values the sandbox
 * issued; this spec catches what no list of values knows about (an IdP or SP private key, an
 * assertion dumped while debugging, the attack suite's own SAMLResponses echoed back).
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { E2E_DIR, E2E_JETWAY_SECRET, JETWAY_DB_FILE, JETWAY_LOG_FILE } from "./support/constants";

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
  [
    "an AWS secret access key",
    /(?:secret_?access_?key|SecretAccessKey|sessionKey)["'\s]*[:=]\s*["']?[A-Za-z0-9/+]{40}\b/i,
  ],
  ["a session token value", /(?:session_?token|SessionToken)["'\s]*[:=]\s*["']?[A-Za-z0-9/+=]{40,}/i],
  ["a sign-in token", /SigninToken["'\s]*[:=]\s*["']?[A-Za-z0-9_\-+/=%]{16,}/],
  ["a SAMLResponse value", /SAMLResponse["'\s]*[:=]\s*["']?[A-Za-z0-9+/=%]{40,}/],
  // base64 of "<samlp:Response", "<saml2p:Response", "<?xml version=": an encoded response in the clear
  ["a base64 SAML message", /PHNhbWxwOlJlc3BvbnNl|PHNhbWwycDpSZXNwb25zZ|PD94bWwgdmVyc2lvbj0i/],
  ["a console sign-in URL", /[?&]Action=login&[^\s"']*SigninToken=/],
  // The CLI's token in a header or a token answer, and its device code in a form or JSON.
  ["a bearer token", /\bBearer\s+[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/],
  ["an OAuth access token", /access_token["'\s]*[:=]\s*["']?[A-Za-z0-9_-]{43}/],
  ["a device code", /device_code["'\s]*[:=]\s*["']?[A-Za-z0-9_-]{43}/],
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
    `authorization: Bearer ${"tK9_-".repeat(8)}abc`,
    `{"access_token":"${"Ab1_".repeat(10)}xyz","token_type":"Bearer"}`,
    `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=${"Zz9-".repeat(10)}q1w&client_id=jetway-cli`,
  ];
  for (const sample of samples) {
    expect(
      SECRET_SHAPES.some(([, pattern]) => pattern.test(sample)),
      sample.slice(0, 40),
    ).toBe(true);
  }
  // And what the logs legitimately hold does not trip them.
  for (const benign of [
    '{"msg":"audit","event":"saml.login_failed","reason":"saml.signature_invalid: Assertion signature does not verify"}',
    "GET /saml2/idp/SSOService.php?SAMLRequest=fZJNb",
    // A CLI session's id is the token's SHA-256 (64 hex): fine to log; so is the scheme's name.
    `{"msg":"audit","event":"cli.credentials","details":{"cliSessionId":"${"0f".repeat(32)}"}}`,
    'www-authenticate: Bearer error="invalid_token"',
  ]) {
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

test("no audit row of the run holds any of these shapes either", () => {
  const db = new Database(JETWAY_DB_FILE, { readonly: true, fileMustExist: true });
  let rows: Array<Record<string, unknown>>;
  try {
    rows = db.prepare('SELECT * FROM "AuditEvent"').all() as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
  expect(rows.length).toBeGreaterThan(0);
  const findings: string[] = [];
  for (const row of rows) {
    // Column by column, as stored (details is JSON text itself: stringifying the row would escape its quotes).
    for (const [column, value] of Object.entries(row)) {
      if (typeof value !== "string") continue;
      for (const [what, pattern] of SECRET_SHAPES) {
        const match = pattern.exec(value);
        if (match)
          findings.push(
            `AuditEvent ${String(row.id)} (${String(row.type)}).${column}: ${what} (${match[0].slice(0, 12)}…)`,
          );
      }
    }
  }
  expect(findings).toEqual([]);
});
