import fs from "node:fs";
import Database from "better-sqlite3";
import { E2E_JETWAY_SECRET, JETWAY_DB_FILE, JETWAY_LOG_FILE, PROD_ACCOUNT, USERS } from "./support/constants";
import { deviceSignInOverHttp } from "./support/device-flow";
import { expect, signInThroughIdp, test } from "./support/fixtures";
import { CLI_SECRETS_FILE, readCliSecrets } from "./support/jetway-cli";
import { issuedSecrets, sandboxCalls } from "./support/sandbox";
import { SandboxConsolePage } from "./support/sandbox-console-page";

/**
 * Runs after every other spec (its own Playwright project, which depends on the main one): Jetway's
 * whole log for the run, .e2e/jetway.log, must not hold what would let someone reuse a console
 * session. The sign-in URL (federation?Action=login&…&SigninToken=…) is valid for 15 minutes and
 * is a secret; so are the temporary credentials STS returned. The sandbox never shows its
 * secrets; e2e/support/start-sandbox.ts keeps those it issued in .e2e/sandbox-secrets.json.
 *
 * The command line's secrets too (issue 11): the bearer tokens, the device codes and the
 * credential_process JSON, in Jetway's log and in its audit rows (AuditEvent, read from the run's
 * SQLite file); tokens and device codes are stored only as their SHA-256. e2e/cli.spec.ts keeps
 * what the real `jetway` saved and printed in .e2e/cli-secrets.json; the device code, which the CLI
 * never shows, comes from one more device sign-in done here over plain HTTP.
 */

/** The raw value and the forms it takes inside URLs and JSON. */
function forms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}

test("Jetway's log holds no sign-in token, AWS secret key, session token or Jetway secret", async ({ page }) => {
  // One more console sign-in, so that the check never runs on an empty run (e.g. with --grep).
  await signInThroughIdp(page, USERS.alice, `/go/${PROD_ACCOUNT.alias}/ReadOnly`);
  await new SandboxConsolePage(page).expectOpen();

  const secrets = issuedSecrets();
  const calls = await sandboxCalls();
  const issuedKeyIds = calls
    .filter((c) => c.action === "AssumeRoleWithSAML" && c.outcome === "ok")
    .map((c) => c.accessKeyId);
  expect(issuedKeyIds.length).toBeGreaterThan(0);
  // The secrets file is in step with what the sandbox reports issuing.
  expect([...secrets.accessKeyIds].sort()).toEqual([...issuedKeyIds].sort());
  expect(secrets.secretAccessKeys.length).toBe(issuedKeyIds.length);
  expect(secrets.sessionTokens.length).toBe(issuedKeyIds.length);
  expect(secrets.signinTokens.length).toBeGreaterThan(0);

  const log = fs.readFileSync(JETWAY_LOG_FILE, "utf8");
  expect(log.length).toBeGreaterThan(0);
  expect(log).not.toContain("SigninToken=");
  expect(log).not.toContain("Action=login");
  const leaks: string[] = [];
  const check = (what: string, values: string[]) => {
    for (const value of values) {
      if (forms(value).some((form) => log.includes(form))) leaks.push(`${what} ${value.slice(0, 6)}…`);
    }
  };
  check("secret access key", secrets.secretAccessKeys);
  check("session token", secrets.sessionTokens);
  check("sign-in token", secrets.signinTokens);
  check("JETWAY_SECRET", [E2E_JETWAY_SECRET]);
  expect(leaks, `found in ${JETWAY_LOG_FILE}`).toEqual([]);
});

/** Every row of a table as one JSON line each: what a reader of the database (or its backup) sees. */
function tableText(db: Database.Database, table: "AuditEvent" | "Session" | "DeviceAuthorization"): string {
  return db
    .prepare(`SELECT * FROM "${table}"`)
    .all()
    .map((row) => JSON.stringify(row))
    .join("\n");
}

test("Jetway's log and audit rows hold no CLI bearer token, device code or credential JSON; tokens and codes are stored hashed", async ({
  page,
}) => {
  // One more CLI sign-in over HTTP (never an empty check, and its device code is known), then what
  // e2e/cli.spec.ts's real jetway saved and printed, if it ran.
  const fresh = await deviceSignInOverHttp(page, USERS.alice);
  const cli = readCliSecrets();
  const tokens = [fresh.accessToken, ...cli.bearerTokens];
  const deviceCodes = [fresh.deviceCode, ...cli.deviceCodes];
  const credentialJson = [fresh.credentialJson, ...cli.credentialJson];
  const credentialParts = credentialJson.flatMap((doc) => {
    const parsed = JSON.parse(doc) as { SecretAccessKey: string; SessionToken: string };
    return [parsed.SecretAccessKey, parsed.SessionToken];
  });
  const sandbox = issuedSecrets();

  const db = new Database(JETWAY_DB_FILE, { readonly: true, fileMustExist: true });
  let audit: string;
  let stored: string;
  try {
    // The CLI's audit rows are there to scan: logins, credentials, the logout of the fresh sign-in.
    const types = (
      db.prepare(`SELECT DISTINCT "type" FROM "AuditEvent" WHERE "type" LIKE 'cli.%'`).all() as { type: string }[]
    ).map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining(["cli.login", "cli.credentials", "cli.logout"]));
    audit = tableText(db, "AuditEvent");
    stored = `${tableText(db, "Session")}\n${tableText(db, "DeviceAuthorization")}`;
  } finally {
    db.close();
  }
  const log = fs.readFileSync(JETWAY_LOG_FILE, "utf8");

  const leaks: string[] = [];
  const check = (where: string, text: string, what: string, values: string[]) => {
    for (const value of values) {
      if (forms(value).some((form) => text.includes(form))) leaks.push(`${what} ${value.slice(0, 6)}… in ${where}`);
    }
  };
  for (const [where, text] of [
    [JETWAY_LOG_FILE, log],
    ["the AuditEvent rows", audit],
  ] as const) {
    check(where, text, "CLI bearer token", tokens);
    check(where, text, "device code", deviceCodes);
    check(where, text, "credential JSON", credentialJson);
    check(where, text, "credential secret", credentialParts);
    check(where, text, "secret access key", sandbox.secretAccessKeys);
    check(where, text, "session token", sandbox.sessionTokens);
  }
  check("the Session/DeviceAuthorization rows", stored, "CLI bearer token", tokens);
  check("the Session/DeviceAuthorization rows", stored, "device code", deviceCodes);
  expect(
    leaks,
    `CLI secrets found (bearer tokens from ${fs.existsSync(CLI_SECRETS_FILE) ? CLI_SECRETS_FILE : "this test only"})`,
  ).toEqual([]);
});
