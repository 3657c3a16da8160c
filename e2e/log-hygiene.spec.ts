import fs from "node:fs";
import { E2E_JETWAY_SECRET, JETWAY_LOG_FILE, PROD_ACCOUNT, USERS } from "./support/constants";
import { expect, signInThroughIdp, test } from "./support/fixtures";
import { issuedSecrets, sandboxCalls } from "./support/sandbox";
import { SandboxConsolePage } from "./support/sandbox-console-page";

/**
 * Runs after every other spec (its own Playwright project, which depends on the main one): Jetway's
 * whole log for the run, .e2e/jetway.log, must not hold what would let someone reuse a console
 * session. The sign-in URL (federation?Action=login&…&SigninToken=…) is valid for 15 minutes and
 * is a secret; so are the temporary credentials STS returned. The sandbox never shows its
 * secrets; e2e/support/start-sandbox.ts keeps those it issued in .e2e/sandbox-secrets.json.
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
  const issuedKeyIds = calls.filter((c) => c.action === "AssumeRoleWithSAML" && c.outcome === "ok").map((c) => c.accessKeyId);
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
