import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import type { BrowserContext, Page } from "@playwright/test";
import { JETWAY_BASE_URL, PROD_ACCOUNT, ROOT_DIR, SANDBOX_BASE_URL, USERS, type E2eUser } from "./support/constants";
import { DevicePage } from "./support/device-page";
import { expect, test } from "./support/fixtures";
import { IdpLoginPage } from "./support/idp-login-page";
import {
  AWS_CLI,
  addCliSecrets,
  CLI_SECRETS_FILE,
  CliHome,
  JETWAY_CLI_FILE,
  killCliProcesses,
  RunningLogin,
} from "./support/jetway-cli";
import { sandboxCalls } from "./support/sandbox";

/**
 * Issue 11 end to end: the built `jetway` CLI against the production build, the approval in
 * Chromium by an employee signed in through SimpleSAMLphp, `jetway configure`, and Debian's real
 * AWS CLI v2 (/usr/bin/aws) running the credential_process profile against the AWS sandbox, whose
 * STS checks the SigV4 signature made with the credentials Jetway handed out. Then the Command
 * line page's checksum, a person without the role, and an admin's revocation.
 *
 * The tests share alice's CLI home and browser, so they run in order (serial).
 */

const PROFILE = `jetway-${PROD_ACCOUNT.alias}-ReadOnly`;
const ALICE_ASSUMED_ROLE_ARN = `arn:aws:sts::${PROD_ACCOUNT.id}:assumed-role/ReadOnly/${USERS.alice.email}`;
const SIGN_IN_AGAIN = "Your Jetway sign-in has expired or was revoked: run `jetway login`.";
const CLI_VERSION = (JSON.parse(fs.readFileSync(`${ROOT_DIR}/package.json`, "utf8")) as { version: string }).version;
/** A profile of the person's own, which `jetway configure` must leave byte for byte. */
const HAND_WRITTEN = "# my own profiles\n[profile personal]\nregion = eu-west-1\noutput = table\n\n";

const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

/** How many AssumeRoleWithSAML calls the sandbox's STS has answered since it started (GET /_sandbox/stats). */
async function assumeRoleWithSamlCalls(): Promise<number> {
  const response = await fetch(`${SANDBOX_BASE_URL}/_sandbox/stats`);
  expect(response.status).toBe(200);
  const stats = (await response.json()) as { actions: Record<string, { calls: number } | undefined> };
  return stats.actions.AssumeRoleWithSAML?.calls ?? 0;
}

/**
 * `jetway login` in `home`, approved in `page` (signed out) as `user`: the page opens the URL the
 * CLI printed, goes through the IdP and comes back to the question, and approves.
 */
async function logInWithCli(home: CliHome, page: Page, user: E2eUser): Promise<void> {
  const login = new RunningLogin(home, JETWAY_BASE_URL);
  const { userCode, url } = await login.prompt();
  expect(url).toBe(`${JETWAY_BASE_URL}/device?user_code=${userCode}`);
  expect(login.stderr).toContain(`(or open ${JETWAY_BASE_URL}/device and type the code)`);

  await page.goto(url);
  await new IdpLoginPage(page).signIn(user);
  const device = new DevicePage(page);
  await device.expectQuestion(userCode);
  // What the CLI said about itself, shown to the approver.
  await expect(device.hostname).toHaveText(os.hostname());
  await expect(device.osUser).toHaveText(os.userInfo().username);
  await expect(device.cliVersion).toHaveText(CLI_VERSION);
  await device.approve();

  const done = await login.exited;
  expect(done.stderr).toContain(`Signed in to ${JETWAY_BASE_URL} until `);
  expect(done.code, done.stderr).toBe(0);
  // The sign-in is private to the person (0600), and kept outside the machine's own home.
  const sessions = `${home.configHome}/jetway/sessions`;
  expect(fs.readdirSync(sessions)).toHaveLength(1);
  expect(home.mode(`${sessions}/${fs.readdirSync(sessions)[0]}`)).toBe(0o600);
  addCliSecrets({ bearerTokens: [home.savedToken()] });
}

test.describe.serial("jetway CLI with the real AWS CLI", () => {
  let alice: CliHome;
  let aliceBrowser: BrowserContext;
  let alicePage: Page;

  test.beforeAll(async ({ browser }, testInfo) => {
    // A fresh list each run (a retry keeps the first attempt's: they may be in the log too).
    if (testInfo.retry === 0 && testInfo.repeatEachIndex === 0) fs.rmSync(CLI_SECRETS_FILE, { force: true });
    expect(fs.existsSync(JETWAY_CLI_FILE), `${JETWAY_CLI_FILE} is missing: run \`npm run build\``).toBe(true);
    expect(
      fs.existsSync(AWS_CLI),
      `${AWS_CLI} is missing: scripts/ensure-system-deps.sh installs Debian's awscli`,
    ).toBe(true);
    alice = CliHome.create("alice");
    aliceBrowser = await browser.newContext({ baseURL: JETWAY_BASE_URL });
    alicePage = await aliceBrowser.newPage();
  });

  test.afterEach(() => killCliProcesses());

  test.afterAll(async () => {
    killCliProcesses();
    await aliceBrowser?.close();
    alice?.remove();
  });

  test("jetway login --no-browser prints a code that alice, signed in through the IdP, approves on /device", async () => {
    await logInWithCli(alice, alicePage, USERS.alice);
  });

  test("jetway configure writes the profile; the AWS CLI gets alice's assumed role through it, and one STS call serves the hour", async () => {
    fs.mkdirSync(`${alice.dir}/home/.aws`, { recursive: true });
    fs.writeFileSync(alice.awsConfigFile, HAND_WRITTEN);

    const configure = await alice.jetway(["configure"]);
    expect(configure.code, configure.stderr).toBe(0);
    expect(configure.stderr).toContain(`Wrote 1 profile to ${alice.awsConfigFile}: ${PROFILE}.`);
    const config = fs.readFileSync(alice.awsConfigFile, "utf8");
    expect(config.startsWith(HAND_WRITTEN), "the hand-written profile is kept as it was").toBe(true);
    expect(config).toContain(`# >>> jetway ${JETWAY_BASE_URL} >>>`);
    expect(config).toContain(`# <<< jetway ${JETWAY_BASE_URL} <<<`);
    expect(config).toContain(`[profile ${PROFILE}]`);
    expect(config).toContain(
      `credential_process = ${process.execPath} ${JETWAY_CLI_FILE} credentials --url ${JETWAY_BASE_URL} --account ${PROD_ACCOUNT.alias} --role ReadOnly`,
    );
    // Idempotent: a second run changes nothing.
    const again = await alice.jetway(["configure"]);
    expect(again.code, again.stderr).toBe(0);
    expect(fs.readFileSync(alice.awsConfigFile, "utf8")).toBe(config);

    const before = await assumeRoleWithSamlCalls();
    const first = await alice.aws(["sts", "get-caller-identity", "--profile", PROFILE]);
    expect(first.code, first.stderr).toBe(0);
    const identity = JSON.parse(first.stdout) as { Arn: string; Account: string; UserId: string };
    expect(identity.Account).toBe(PROD_ACCOUNT.id);
    expect(identity.Arn).toBe(ALICE_ASSUMED_ROLE_ARN);
    expect(identity.UserId).toMatch(new RegExp(`^AROA[A-Z0-9]+:${USERS.alice.email.replace(/\./g, "\\.")}$`));
    expect(await assumeRoleWithSamlCalls()).toBe(before + 1);

    // What the sandbox saw: Jetway's AssumeRoleWithSAML with alice's AWS identity (as /go's), and a
    // GetCallerIdentity signed (SigV4) with the very credentials it issued.
    const calls = await sandboxCalls();
    const assumed = calls.filter((c) => c.action === "AssumeRoleWithSAML" && c.outcome === "ok").at(-1);
    expect(assumed).toMatchObject({
      roleArn: `arn:aws:iam::${PROD_ACCOUNT.id}:role/ReadOnly`,
      roleSessionName: USERS.alice.email,
      sourceIdentity: USERS.alice.email,
    });
    const signed = calls.filter((c) => c.action === "GetCallerIdentity").at(-1);
    expect(signed).toMatchObject({ outcome: "ok", signedRequest: true, accessKeyId: assumed!.accessKeyId });

    // Within the hour the CLI's cache answers credential_process: no new STS call.
    const second = await alice.aws(["sts", "get-caller-identity", "--profile", PROFILE]);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual(identity);
    expect(await assumeRoleWithSamlCalls()).toBe(before + 1);
    const cached = alice.cachedCredentialFiles();
    expect(cached).toHaveLength(1);
    expect(alice.mode(`${alice.cacheHome}/jetway/credentials/${cached[0]}`)).toBe(0o600);

    // `jetway credentials` itself: the credential_process JSON, from the cache as well.
    const credentials = await alice.jetway(["credentials", "--account", PROD_ACCOUNT.alias, "--role", "ReadOnly"]);
    expect(credentials.code, credentials.stderr).toBe(0);
    const json = JSON.parse(credentials.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(["Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"]);
    expect(json).toMatchObject({ Version: 1, AccessKeyId: assumed!.accessKeyId });
    expect(Date.parse(String(json.Expiration))).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(await assumeRoleWithSamlCalls()).toBe(before + 1);
    addCliSecrets({ credentialJson: [credentials.stdout.trim()] });
  });

  test("the Command line page shows the SHA-256 of the jetway.mjs Jetway serves", async () => {
    await alicePage.goto("/command-line");
    await expect(alicePage.getByRole("heading", { level: 1, name: "Command line" })).toBeVisible();
    const shown = (await alicePage.getByTestId("cli-sha256").textContent())?.trim();
    const served = await alicePage.request.get("/cli/jetway.mjs");
    expect(served.status()).toBe(200);
    const body = await served.body();
    expect(shown).toBe(sha256(body));
    // And it is the file these tests ran.
    expect(shown).toBe(sha256(fs.readFileSync(JETWAY_CLI_FILE)));
    expect(body.subarray(0, 20).toString()).toBe("#!/usr/bin/env node\n");
    await expect(alicePage.getByText(`jetway login --url ${JETWAY_BASE_URL}`, { exact: true })).toBeVisible();
  });

  test("bob, whose groups grant no role, is refused credentials (exit 3) and gets none", async ({ browser }) => {
    const bob = CliHome.create("bob");
    const bobBrowser = await browser.newContext({ baseURL: JETWAY_BASE_URL });
    try {
      await logInWithCli(bob, await bobBrowser.newPage(), USERS.bob);
      const roles = await bob.jetway(["roles"]);
      expect(roles.code, roles.stderr).toBe(0);
      expect(roles.stdout).toBe("");
      expect(roles.stderr).toContain("None of your groups maps to an AWS role");

      const before = await assumeRoleWithSamlCalls();
      const refused = await bob.jetway(["credentials", "--account", PROD_ACCOUNT.alias, "--role", "ReadOnly"]);
      expect(refused.code).toBe(3);
      expect(refused.stdout).toBe("");
      // One sentence from Jetway with its reference id; never a stack trace.
      expect(refused.stderr).toMatch(/^jetway: [^\n]*ReadOnly[^\n]* \(reference JW-[0-9A-Z]+\)\n$/);
      expect(bob.cachedCredentialFiles()).toEqual([]);
      expect(await assumeRoleWithSamlCalls()).toBe(before);

      // jetway logout revokes the token on the server: it no longer works, even if it had been copied.
      const token = bob.savedToken();
      const logout = await bob.jetway(["logout"]);
      expect(logout.code, logout.stderr).toBe(0);
      const reuse = await fetch(`${JETWAY_BASE_URL}/api/cli/roles`, { headers: { authorization: `Bearer ${token}` } });
      expect(reuse.status).toBe(401);
      expect(await reuse.json()).toMatchObject({ error: "invalid_token" });
    } finally {
      await bobBrowser.close();
      bob.remove();
    }
  });

  test("an admin revokes alice's command-line session on /admin/sessions: her next jetway credentials exits 2 with the sentence", async () => {
    // The Sessions page's row of this token: Session.id is the SHA-256 of the token (the token itself is never stored).
    const sessionId = sha256(alice.savedToken());
    await alicePage.goto("/admin/sessions");
    await expect(alicePage.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
    const row = alicePage.getByTestId("session-row").filter({ has: alicePage.locator(`[id="issued-${sessionId}"]`) });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId("session-kind")).toContainText("Command line");
    await expect(row.getByTestId("session-kind")).toContainText(
      `${os.hostname()} · ${os.userInfo().username} · jetway ${CLI_VERSION}`,
    );
    await row.getByRole("button", { name: `Revoke session of ${USERS.alice.email}` }).click();
    await expect(alicePage.getByTestId("notice")).toHaveText("Revoked 1 session.");
    await expect(alicePage.locator(`[id="issued-${sessionId}"]`)).toHaveCount(0);

    // The cached credentials are still valid at AWS, but the CLI asks Jetway first: refused at once.
    expect(alice.cachedCredentialFiles()).toHaveLength(1);
    const before = await assumeRoleWithSamlCalls();
    const after = await alice.jetway(["credentials", "--account", PROD_ACCOUNT.alias, "--role", "ReadOnly"]);
    expect(after.code).toBe(2);
    expect(after.stdout).toBe("");
    expect(after.stderr).toBe(`jetway: ${SIGN_IN_AGAIN}\n`);
    expect(alice.cachedCredentialFiles(), "a refused sign-in drops its cached credentials").toEqual([]);

    // And the AWS CLI, through the profile, passes the sentence on.
    const aws = await alice.aws(["sts", "get-caller-identity", "--profile", PROFILE]);
    expect(aws.code).not.toBe(0);
    expect(aws.stdout).toBe("");
    expect(aws.stderr).toContain("run `jetway login`");
    expect(await assumeRoleWithSamlCalls()).toBe(before);

    // Only that session ended: alice's browser is still signed in.
    await alicePage.goto("/");
    await expect(alicePage.getByTestId("user-email")).toHaveText(USERS.alice.email);
  });
});
