import fs from "node:fs";
import { request as playwrightRequest, type Browser, type BrowserContext, type Page } from "@playwright/test";
import YAML from "yaml";
import { ADMIN_PAGES, adminServerActions, AdminMappingsPage } from "./support/admin-pages";
import { expectErrorPage } from "./support/error-page";
import {
  E2E_IDP_ID,
  E2E_IDP_NAME,
  E2E_JETWAY_CONFIG,
  IDP_METADATA_FILE,
  IDP_METADATA_URL,
  JETWAY_ACS_URL,
  JETWAY_BASE_URL,
  JETWAY_SP_ENTITY_ID,
  PROD_ACCOUNT,
  READ_ONLY_ROLE_ARN,
  USERS,
  type E2eUser,
} from "./support/constants";
import { expect, signInThroughIdp, test } from "./support/fixtures";
import { PortalPage } from "./support/portal-page";

/**
 * The admin console with the real SimpleSAMLphp IdP: alice is in jetway-admins (the e2e config's
 * admins.groups), bob is not. Specs run in one Jetway against one database, so each test puts
 * back what it changed.
 */

async function signedIn(
  browser: Browser,
  user: E2eUser,
  start = "/",
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInThroughIdp(page, user, start);
  await expect(page).toHaveURL((url) => url.origin === JETWAY_BASE_URL);
  return { context, page };
}

/** A POST like the one the browser makes for a server action (fetch with the Next-Action header). */
async function postServerAction(page: Page, action: { id: string; pagePath: string }) {
  return page.request.post(action.pagePath, {
    headers: {
      "next-action": action.id,
      "content-type": "text/plain;charset=UTF-8",
      accept: "text/x-component",
      origin: JETWAY_BASE_URL,
    },
    data: "[]",
    maxRedirects: 0,
  });
}

const ADMIN_ROUTES = ["/admin/audit/export?format=csv", "/admin/audit/export?format=json", "/admin/config/export"];

test.describe("who is an admin", () => {
  test("signed out, /admin goes through sign-in and comes back", async ({ request }) => {
    const response = await request.get("/admin/mappings", { maxRedirects: 0 });
    expect([302, 303, 307, 308]).toContain(response.status());
    const target = new URL(response.headers()["location"] ?? "", JETWAY_BASE_URL);
    expect(target.pathname).toBe("/login");
    expect(target.searchParams.get("next")).toBe("/admin/mappings");
  });

  test("the portal links admins to the admin console, and nobody else", async ({ browser }) => {
    const alice = await signedIn(browser, USERS.alice);
    await alice.page.getByRole("link", { name: "Admin console" }).click();
    await expect(alice.page).toHaveURL(`${JETWAY_BASE_URL}/admin`);
    await expect(alice.page.getByRole("heading", { name: "Admin console" })).toBeVisible();
    await alice.context.close();

    const bob = await signedIn(browser, USERS.bob);
    await expect(bob.page.getByTestId("user-name")).toBeVisible();
    await expect(bob.page.getByRole("link", { name: "Admin console" })).toHaveCount(0);
    await bob.context.close();
  });

  test("bob (not in an admin group) gets 403 on every admin page", async ({ browser }) => {
    const { context, page } = await signedIn(browser, USERS.bob);
    for (const path of [...ADMIN_PAGES, "/admin/mappings/x"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page.getByRole("heading", { name: "Administrators only" })).toBeVisible();
      await expect(page.getByTestId("mapping-row")).toHaveCount(0);
    }
    await context.close();
  });

  test("bob gets 403 from every admin route handler called directly; signed out, they send to sign-in", async ({
    browser,
    request,
  }) => {
    const bob = await signedIn(browser, USERS.bob);
    for (const path of ADMIN_ROUTES) {
      await expectErrorPage(await bob.page.request.get(path, { maxRedirects: 0 }), 403, "Administrators only");
      const anonymous = await request.get(path, { maxRedirects: 0 });
      expect(anonymous.status(), path).toBe(302);
      expect(new URL(anonymous.headers()["location"] ?? "").pathname).toBe("/login");
    }
    await bob.context.close();
  });

  test("every admin server action refuses bob with 403, posted directly without the UI", async ({ browser }) => {
    const actions = adminServerActions();
    expect(actions.map((a) => a.name).sort()).toEqual(
      expect.arrayContaining([
        "applyImportAction",
        "createAccountAction",
        "createIdpAction",
        "createMappingAction",
        "deleteAccountAction",
        "deleteMappingAction",
        "dryRunImportAction",
        "previewMappingAction",
        "setIdpEnabledAction",
        "updateAccountAction",
        "updateIdpOptionsAction",
        "updateMappingAction",
      ]),
    );
    const bob = await signedIn(browser, USERS.bob);
    const alice = await signedIn(browser, USERS.alice);
    const anonymous = await playwrightRequest.newContext({ baseURL: JETWAY_BASE_URL });
    for (const action of actions) {
      const label = `${action.file} ${action.name}`;
      expect((await postServerAction(bob.page, action)).status(), label).toBe(403);
      const signedOut = await anonymous.post(action.pagePath, {
        headers: {
          "next-action": action.id,
          "content-type": "text/plain;charset=UTF-8",
          accept: "text/x-component",
          origin: JETWAY_BASE_URL,
        },
        data: "[]",
        maxRedirects: 0,
      });
      expect(signedOut.status(), label).toBe(401);
      // The same request from an admin gets past the gate (and is refused by input validation),
      // so the 403 above is the admin check, not a malformed request.
      expect((await postServerAction(alice.page, action)).status(), label).toBe(200);
    }
    // Nothing was written by any of these calls.
    await alice.page.goto("/admin/mappings");
    await expect(alice.page.getByTestId("mapping-row")).toHaveCount(E2E_JETWAY_CONFIG.mappings.length);
    await Promise.all([bob.context.close(), alice.context.close(), anonymous.dispose()]);
  });
});

test.describe("mappings", () => {
  test("alice adds developers → ReadOnly and bob then sees the tile; alice deletes it and bob loses it", async ({
    browser,
  }) => {
    const alice = await signedIn(browser, USERS.alice, "/admin/mappings");
    const mappings = new AdminMappingsPage(alice.page);
    await expect(alice.page).toHaveURL(`${JETWAY_BASE_URL}/admin/mappings`);

    const bob = await signedIn(browser, USERS.bob);
    const bobPortal = new PortalPage(bob.page);
    await expect(bobPortal.noRoles).toBeVisible();

    await mappings.add({ group: "developers", roleArn: READ_ONLY_ROLE_ARN, label: "Developers read-only" });
    await expect(mappings.notice).toHaveText("Mapping added.");
    await expect(mappings.row("developers", READ_ONLY_ROLE_ARN)).toHaveCount(1);
    try {
      await bob.page.reload();
      await expect(bobPortal.roleTiles).toHaveCount(1);
      await expect(bobPortal.roleTile(PROD_ACCOUNT.alias, "ReadOnly")).toContainText("Developers read-only");
    } finally {
      await mappings.delete("developers", READ_ONLY_ROLE_ARN);
    }
    await bob.page.reload();
    await expect(bobPortal.noRoles).toBeVisible();
    await Promise.all([alice.context.close(), bob.context.close()]);
  });

  test("invalid input is shown next to the field and saves nothing", async ({ browser }) => {
    const alice = await signedIn(browser, USERS.alice, "/admin/mappings/new");
    const mappings = new AdminMappingsPage(alice.page);
    await mappings.fill({
      group: "developers",
      roleArn: "arn:aws:iam::999999999999:role/ReadOnly",
      sessionDuration: 60,
    });
    await alice.page.getByRole("button", { name: "Add mapping" }).click();
    await expect(mappings.fieldError("roleArn")).toContainText(
      "Account 999999999999 is not one of Jetway's AWS accounts",
    );
    await expect(mappings.fieldError("sessionDuration")).toContainText("At least 900 seconds");
    await expect(alice.page.getByLabel("IAM role ARN")).toHaveAttribute("aria-invalid", "true");
    // The form keeps what was typed.
    await expect(alice.page.getByLabel("IdP group")).toHaveValue("developers");
    await mappings.goto();
    await expect(mappings.rows).toHaveCount(E2E_JETWAY_CONFIG.mappings.length);
    await alice.context.close();
  });

  test("a pattern rule previews live against sample groups", async ({ browser }) => {
    const alice = await signedIn(browser, USERS.alice, "/admin/mappings/new");
    const page = alice.page;
    await page.getByRole("radio", { name: "Group pattern" }).check();
    await new AdminMappingsPage(page).fill({ idp: E2E_IDP_ID });
    await page.getByRole("textbox", { name: "Group pattern" }).fill("team-{account}-{role}");
    await page.getByLabel("IAM role ARN").fill("arn:aws:iam::{account}:role/{role}");
    await page
      .getByLabel("Sample groups (one per line)")
      .fill("team-prod-Admin\nteam-nowhere-Admin\naws-prod-readonly");
    const lines = page.getByTestId("preview-line");
    await expect(lines).toHaveCount(3);
    await expect(lines.nth(0)).toHaveAttribute("data-outcome", "grants");
    await expect(lines.nth(0)).toContainText("arn:aws:iam::111111111111:role/Admin");
    await expect(lines.nth(1)).toHaveAttribute("data-outcome", "no-match");
    await expect(lines.nth(2)).toHaveAttribute("data-outcome", "no-match");
    // A refused submission keeps the rule type and the values (nothing saved).
    await page.getByLabel("Session duration (seconds)").fill("60");
    await page.getByRole("button", { name: "Add mapping" }).click();
    await expect(page.getByTestId("sessionDuration-error")).toContainText("At least 900 seconds");
    await expect(page.getByRole("radio", { name: "Group pattern" })).toBeChecked();
    await expect(page.getByRole("textbox", { name: "Group pattern" })).toHaveValue("team-{account}-{role}");
    await alice.context.close();
  });

  test("two admins edit the same mapping: the second gets a conflict, nothing is overwritten", async ({ browser }) => {
    const first = await signedIn(browser, USERS.alice, "/admin/mappings");
    const second = await signedIn(browser, USERS.alice, "/admin/mappings");
    const one = new AdminMappingsPage(first.page);
    const two = new AdminMappingsPage(second.page);
    await one.add({ group: "conflict-test", roleArn: READ_ONLY_ROLE_ARN });
    await expect(one.notice).toHaveText("Mapping added.");
    try {
      await one.goto();
      await one.openEdit("conflict-test", READ_ONLY_ROLE_ARN);
      await two.goto();
      await two.openEdit("conflict-test", READ_ONLY_ROLE_ARN);

      await one.fill({ label: "First admin's label" });
      await first.page.getByRole("button", { name: "Save mapping" }).click();
      await expect(one.notice).toHaveText("Mapping saved.");

      await two.fill({ label: "Second admin's label" });
      await second.page.getByRole("button", { name: "Save mapping" }).click();
      await expect(second.page.getByTestId("conflict-message")).toContainText("Someone else changed this mapping");
      await expect(second.page.getByTestId("conflict-message")).toContainText("First admin's label");

      await one.goto();
      await expect(one.row("conflict-test", READ_ONLY_ROLE_ARN)).toContainText("First admin's label");
    } finally {
      await one.delete("conflict-test", READ_ONLY_ROLE_ARN);
    }
    await Promise.all([first.context.close(), second.context.close()]);
  });
});

test.describe("access simulator", () => {
  test("what groups reach, with the rule; and who can reach a role", async ({ browser }) => {
    // bob signs in first so that he is a recently seen user.
    const bob = await signedIn(browser, USERS.bob);
    await bob.context.close();
    const alice = await signedIn(browser, USERS.alice, "/admin/simulator");
    const page = alice.page;
    await page.getByLabel("Groups (one per line)").fill("aws-prod-readonly\naws-prod-Admin\ndevelopers");
    await page.getByRole("button", { name: "Simulate", exact: true }).click();
    const grants = page.getByTestId("simulated-grant");
    await expect(grants).toHaveCount(2);
    await expect(grants.filter({ hasText: "ReadOnly" })).toContainText(
      "from group aws-prod-readonly by rule aws-prod-readonly",
    );
    await expect(grants.filter({ hasText: "Admin" })).toContainText("aws-{account}-{role}");
    await expect(page.getByTestId("simulation-result")).toContainText(
      "Groups that grant nothing and make nothing eligible: developers",
    );

    await page
      .getByLabel(/Or a user seen in the last/)
      .selectOption({ label: `${USERS.bob.displayName} (simplesaml)` });
    await page.getByRole("button", { name: "Simulate user" }).click();
    await expect(page.getByTestId("simulation-result")).toContainText("No role");

    await page.getByLabel("IAM role ARN").fill(READ_ONLY_ROLE_ARN);
    await page.getByRole("button", { name: "Find who can reach it" }).click();
    const groups = page.getByTestId("reaching-group");
    await expect(groups.filter({ hasText: /^aws-prod-readonly/ })).toHaveCount(1);
    await expect(groups.filter({ hasText: /^aws-prod-ReadOnly/ })).toHaveCount(1);
    // Of the company's people seen, alice (contractors reach it too, through their own IdP's rule).
    await expect(page.getByTestId("reaching-user").filter({ hasText: USERS.bob.displayName })).toHaveCount(0);
    await expect(page.getByTestId("reaching-user").filter({ hasText: USERS.alice.displayName })).toHaveCount(1);
    await alice.context.close();
  });
});

test.describe("accounts", () => {
  test("add an account (errors next to the fields first), see its mappings, remove it", async ({ browser }) => {
    const alice = await signedIn(browser, USERS.alice, "/admin/accounts/new");
    const page = alice.page;
    const form = page.getByRole("form", { name: "Account" });
    await form.getByLabel("Account id").fill("333333333333");
    await form.getByLabel("Alias").fill("prod");
    await form.getByLabel("IAM SAML provider ARN").fill("arn:aws:iam::444444444444:saml-provider/Jetway");
    await page.getByRole("button", { name: "Add account" }).click();
    await expect(page.getByTestId("samlProviderArn-error")).toContainText(
      "must be in this account (333333333333), not 444444444444",
    );
    await form.getByLabel("IAM SAML provider ARN").fill("arn:aws:iam::333333333333:saml-provider/Jetway");
    await page.getByRole("button", { name: "Add account" }).click();
    await expect(page.getByTestId("alias-error")).toContainText("Another account already has this alias.");
    await form.getByLabel("Alias").fill("staging");
    // The portal's badge: an environment of the admin's own words, in a colour of the palette.
    await form.getByLabel("Environment (optional)").fill("qa lab");
    await form.getByLabel("Badge colour").selectOption("purple");
    await form.getByLabel("Confirm before opening from search").selectOption("true");
    await page.getByRole("button", { name: "Add account" }).click();
    await expect(page.getByTestId("notice")).toHaveText("Account added.");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("staging (333333333333)");
    await expect(form.getByLabel("Environment (optional)")).toHaveValue("qa lab");
    await expect(form.getByLabel("Badge colour")).toHaveValue("purple");
    await expect(form.getByLabel("Confirm before opening from search")).toHaveValue("true");
    await expect(page.getByTestId("mapping-row")).toHaveCount(1); // the aws-{account}-{role} pattern applies here too

    await page.getByRole("button", { name: "Delete account…" }).click();
    await page.getByRole("button", { name: "Yes, delete account" }).click();
    await expect(page.getByTestId("notice")).toHaveText("Account removed, with its mappings.");
    await expect(page.getByTestId("account-row").filter({ hasText: "staging" })).toHaveCount(0);

    await page.goto(`/admin/accounts/${PROD_ACCOUNT.id}`);
    await expect(page.getByTestId("mapping-row").filter({ hasText: "aws-prod-readonly" })).toHaveCount(1);
    await alice.context.close();
  });
});

test.describe("audit log", () => {
  test("admin changes are listed with filters, and export as CSV and JSON", async ({ browser }) => {
    const alice = await signedIn(browser, USERS.alice, "/admin/mappings");
    const mappings = new AdminMappingsPage(alice.page);
    await mappings.add({ group: "audit-test", roleArn: READ_ONLY_ROLE_ARN });
    await expect(mappings.notice).toHaveText("Mapping added.");
    await mappings.delete("audit-test", READ_ONLY_ROLE_ARN);

    const page = alice.page;
    await page.goto("/admin/audit");
    await page.getByLabel("Kind").selectOption({ label: "Admin changes" });
    await page.getByLabel("User (NameID contains)").fill("alice");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/category=admin/);
    const rows = page.getByTestId("audit-row");
    await expect(rows.filter({ hasText: "mapping.create" }).filter({ hasText: "audit-test" })).toHaveCount(1);
    await expect(rows.filter({ hasText: "mapping.delete" }).filter({ hasText: "audit-test" })).toHaveCount(1);
    await expect(rows.filter({ hasText: "saml.login" })).toHaveCount(0);

    const csvHref = await page.getByTestId("export-csv").getAttribute("href");
    const csv = await page.request.get(csvHref ?? "");
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const csvText = await csv.text();
    expect(csvText.split("\r\n")[0]).toBe(
      "at,type,result,nameId,userId,connectionId,ip,userAgent,reason,referenceId,details",
    );
    expect(csvText).toContain("mapping.create");
    expect(csvText).not.toContain("saml.login,");

    const json = await page.request.get((await page.getByTestId("export-json").getAttribute("href")) ?? "");
    expect(json.headers()["content-type"]).toContain("application/json");
    const body = (await json.json()) as {
      filters: Record<string, string>;
      events: { type: string; details: { before?: unknown; after?: unknown } }[];
    };
    expect(body.filters).toMatchObject({ category: "admin", user: "alice" });
    const created = body.events.find(
      (e) => e.type === "mapping.create" && JSON.stringify(e.details).includes("audit-test"),
    );
    expect(created?.details).toMatchObject({
      before: null,
      after: { group: "audit-test", roleArn: READ_ONLY_ROLE_ARN },
    });
    await alice.context.close();
  });
});

test.describe("config as code", () => {
  test("an import's dry run shows the diff and changes nothing until applied", async ({ browser }) => {
    const alice = await signedIn(browser, USERS.alice, "/admin/config");
    const page = alice.page;
    const exported = await page.request.get("/admin/config/export");
    expect(exported.status()).toBe(200);
    const original = await exported.text();
    const config = YAML.parse(original) as { mappings: Record<string, unknown>[]; admins: { groups: unknown[] } };
    expect(config.admins.groups).toEqual([{ group: "jetway-admins", idp: E2E_IDP_ID }]);
    // With several IdPs every rule names its IdP (an unscoped one is refused at import).
    config.mappings.push({ idp: E2E_IDP_ID, group: "imported-group", roleArn: READ_ONLY_ROLE_ARN, label: "Imported" });
    const mappings = new AdminMappingsPage(page);

    await page.getByLabel("Configuration (YAML or JSON)").fill(YAML.stringify(config));
    await page.getByRole("button", { name: "Preview changes (dry run)" }).click();
    await expect(page.getByTestId("import-diff")).toBeVisible();
    await expect(page.getByTestId("diff-added")).toHaveText(
      `+ added imported-group → ${READ_ONLY_ROLE_ARN} (${E2E_IDP_ID} only)`,
    );
    await expect(page.getByTestId("diff-removed")).toHaveCount(0);
    // The dry run wrote nothing.
    const other = await alice.context.newPage();
    await other.goto("/admin/mappings");
    await expect(other.getByTestId("mapping-row").filter({ hasText: "imported-group" })).toHaveCount(0);

    await page.getByRole("button", { name: "Apply these changes" }).click();
    await expect(page.getByTestId("import-applied")).toBeVisible();
    try {
      await mappings.goto();
      await expect(mappings.row("imported-group", READ_ONLY_ROLE_ARN)).toContainText("Imported");
    } finally {
      // Put the original configuration back, through the same flow.
      await importThroughConsole(page, original, async () => {
        await expect(page.getByTestId("diff-removed")).toHaveText(
          `− removed imported-group → ${READ_ONLY_ROLE_ARN} (${E2E_IDP_ID} only)`,
        );
      });
    }
    await importThroughConsole(page, original, async () => {
      await expect(page.getByTestId("import-no-changes")).toBeVisible();
    });
    await alice.context.close();
  });

  test("an import that would lock the admin out is refused", async ({ browser }) => {
    const alice = await signedIn(browser, USERS.alice, "/admin/config");
    const page = alice.page;
    const config = YAML.parse(await (await page.request.get("/admin/config/export")).text()) as {
      admins: { groups: unknown[] };
    };
    config.admins.groups = [{ group: "someone-else", idp: E2E_IDP_ID }];
    await page.getByLabel("Configuration (YAML or JSON)").fill(YAML.stringify(config));
    await page.getByRole("button", { name: "Preview changes (dry run)" }).click();
    await expect(page.getByTestId("import-error")).toContainText("you would lose access to the admin console");
    await expect(page.getByRole("button", { name: "Apply these changes" })).toHaveCount(0);
    await alice.context.close();
  });
});

/** Imports a configuration through the console: dry run, then apply (used to put things back). */
async function importThroughConsole(
  page: Page,
  text: string,
  expectDiff?: (page: Page) => Promise<void>,
): Promise<void> {
  await page.goto("/admin/config");
  await page.getByLabel("Configuration (YAML or JSON)").fill(text);
  await page.getByRole("button", { name: "Preview changes (dry run)" }).click();
  await expect(page.getByTestId("import-diff")).toBeVisible();
  if (expectDiff) await expectDiff(page);
  if (await page.getByTestId("import-no-changes").isVisible()) return;
  await page.getByRole("button", { name: "Apply these changes" }).click();
  await expect(page.getByTestId("import-applied")).toBeVisible();
}

test.describe("identity providers", () => {
  test("shows the values for the IdP and its certificates; adds one from metadata, edits and disables it", async ({
    browser,
  }) => {
    const alice = await signedIn(browser, USERS.alice, "/admin/idps");
    const page = alice.page;
    await page.getByRole("link", { name: E2E_IDP_NAME }).click();
    await expect(page.getByTestId("sp-acs-url")).toHaveText(JETWAY_ACS_URL);
    await expect(page.getByTestId("sp-entity-id")).toHaveText(JETWAY_SP_ENTITY_ID);
    await expect(page.getByTestId("cert-row").first()).toBeVisible();
    // Disabling the connection you signed in with is refused.
    await page.getByRole("button", { name: "Disable" }).click();
    await expect(page.getByTestId("action-error")).toContainText("lock you out");

    const original = await (await page.request.get("/admin/config/export")).text();
    try {
      await page.goto("/admin/idps/new");
      const form = page.getByRole("form", { name: "Identity provider" });
      await form.getByLabel("Id").fill("e2e-extra");
      await form.getByLabel("Name").fill("Extra IdP");
      // Required with several IdPs (issue 9 item 4): the domains its people's addresses may have.
      await form.getByLabel("Email domains").fill("extra.example");
      await form.getByRole("radio", { name: "Metadata URL" }).check();
      await form.getByRole("textbox", { name: "Metadata URL" }).fill(IDP_METADATA_URL);
      await page.getByRole("button", { name: "Add identity provider" }).click();
      // Fetched for real from SimpleSAMLphp: the same entityID as the existing connection.
      await expect(page.getByTestId("metadataUrl-error")).toContainText(`"${E2E_IDP_ID}" already has the entityID`);

      const metadata = fs.readFileSync(IDP_METADATA_FILE, "utf8").replace(/entityID="([^"]+)"/, 'entityID="$1#extra"');
      await form.getByRole("radio", { name: "Paste or upload XML" }).check();
      await form.getByLabel("Metadata XML").fill(metadata);
      await page.getByRole("button", { name: "Add identity provider" }).click();
      await expect(page.getByTestId("notice")).toContainText("Identity provider added.");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Extra IdP");

      const options = page.getByRole("form", { name: "Identity provider options" });
      await options.getByLabel("Groups attribute").fill("memberOf");
      await options.getByLabel("List on the sign-in page").uncheck();
      await options.getByLabel("Clock skew (seconds)").fill("5000");
      await page.getByRole("button", { name: "Save options" }).click();
      await expect(page.getByTestId("clockSkewSeconds-error")).toContainText("0 to 900");
      await expect(options.getByLabel("List on the sign-in page")).not.toBeChecked();
      await options.getByLabel("Clock skew (seconds)").fill("120");
      await page.getByRole("button", { name: "Save options" }).click();
      await expect(page.getByTestId("notice")).toHaveText("Options saved.");
      await expect(options.getByLabel("Groups attribute")).toHaveValue("memberOf");
      await expect(options.getByLabel("List on the sign-in page")).not.toBeChecked();

      await page.getByRole("button", { name: "Disable" }).click();
      await expect(page.getByTestId("notice")).toContainText("Identity provider disabled");
      await page.goto("/admin/idps");
      await expect(page.getByTestId("idp-row").filter({ hasText: "Extra IdP" })).toContainText("Disabled");
    } finally {
      await importThroughConsole(page, original);
    }
    await page.goto("/admin/idps");
    await expect(page.getByTestId("idp-row").filter({ hasText: "Extra IdP" })).toHaveCount(0);
    await alice.context.close();
  });
});
