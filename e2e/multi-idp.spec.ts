import type { Browser, BrowserContext, Page } from "@playwright/test";
import {
  CONTRACTOR_IDP_ID,
  CONTRACTOR_IDP_NAME,
  CONTRACTOR_READ_ONLY_LABEL,
  CONTRACTOR_USERS,
  IDP_BASE_URL,
  JETWAY_BASE_URL,
  PROD_ACCOUNT,
  USERS,
} from "./support/constants";
import { expect, signInThroughContractor, signInThroughIdp, test } from "./support/fixtures";
import { PortalPage } from "./support/portal-page";
import { SandboxConsolePage } from "./support/sandbox-console-page";

/**
 * Two real IdPs in one Jetway (issue 9): the company's SimpleSAMLphp (primary, example.com) and
 * a contractor's (contractor.example, unlisted), each a SimpleSAMLphp of its own
 * (e2e/idp/setup.ts). The contractor's people get ReadOnly in prod through a rule scoped to
 * their IdP.
 */

const REDIRECT = [302, 303, 307, 308];

/** What the contractor IdP's people are called in AWS: its id as a prefix; an address it may not assert written with `_at_`. */
const EVE_AWS_IDENTITY = `${CONTRACTOR_IDP_ID}+${CONTRACTOR_USERS.eve.email.replace("@", "_at_")}`;
const MALLORY_AWS_IDENTITY = `${CONTRACTOR_IDP_ID}+${CONTRACTOR_USERS.mallory.email}`;

async function newSignedInPage(
  browser: Browser,
  signIn: (page: Page) => Promise<void>,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page);
  await expect(page).toHaveURL((url) => url.origin === JETWAY_BASE_URL);
  return { context, page };
}

/** Opens the console from the prod ReadOnly tile; returns the sandbox's landing page. */
async function openReadOnlyConsole(page: Page, label: string): Promise<SandboxConsolePage> {
  const portal = new PortalPage(page);
  const tile = portal.roleTile(PROD_ACCOUNT.alias, "ReadOnly");
  await expect(tile).toContainText(label);
  await portal.openConsoleLink(tile).click();
  const consolePage = new SandboxConsolePage(page);
  await consolePage.expectOpen();
  return consolePage;
}

async function expectAwsIdentity(consolePage: SandboxConsolePage, identity: string): Promise<void> {
  await expect(consolePage.sessionName).toHaveText(identity);
  await expect(consolePage.sourceIdentity).toHaveText(identity);
  await expect(consolePage.assumedRoleArn).toHaveText(
    `arn:aws:sts::${PROD_ACCOUNT.id}:assumed-role/ReadOnly/${identity}`,
  );
}

test.describe("the AWS identity cannot be claimed across IdPs (issue 9 item 4)", () => {
  test("eve, through the contractor IdP, asserting alice's company address, is not alice in AWS", async ({ page }) => {
    await signInThroughContractor(page, CONTRACTOR_USERS.eve);
    await expect(page).toHaveURL(`${JETWAY_BASE_URL}/`);
    await expect(new PortalPage(page).userIdp).toHaveText(CONTRACTOR_IDP_NAME);
    const consolePage = await openReadOnlyConsole(page, CONTRACTOR_READ_ONLY_LABEL);
    await expectAwsIdentity(consolePage, EVE_AWS_IDENTITY);
    await expect(consolePage.sessionName).not.toContainText(USERS.alice.email);
  });

  test("mallory, asserting an address of the contractor's own domain, keeps it behind the IdP's prefix", async ({
    page,
  }) => {
    await signInThroughContractor(page, CONTRACTOR_USERS.mallory);
    const consolePage = await openReadOnlyConsole(page, CONTRACTOR_READ_ONLY_LABEL);
    await expectAwsIdentity(consolePage, MALLORY_AWS_IDENTITY);
  });

  test("control: alice, through the company (primary) IdP, keeps her bare address", async ({ page }) => {
    await signInThroughIdp(page, USERS.alice);
    const consolePage = await openReadOnlyConsole(page, "Production read-only");
    await expectAwsIdentity(consolePage, USERS.alice.email);
  });
});

test.describe("revocation (issue 9 item 5)", () => {
  test("disabling the contractor IdP ends mallory's session at her next request; the company's sessions go on", async ({
    browser,
  }) => {
    const mallory = await newSignedInPage(browser, (page) => signInThroughContractor(page, CONTRACTOR_USERS.mallory));
    await expect(mallory.page.getByTestId("user-email")).toHaveText(CONTRACTOR_USERS.mallory.email);
    const admin = await newSignedInPage(browser, (page) =>
      signInThroughIdp(page, USERS.alice, `/admin/idps/${CONTRACTOR_IDP_ID}`),
    );
    const idpPage = admin.page;
    await expect(idpPage.getByRole("heading", { level: 1 })).toHaveText(CONTRACTOR_IDP_NAME);
    try {
      await idpPage.getByRole("button", { name: "Disable" }).click();
      await expect(idpPage.getByTestId("notice")).toContainText("Identity provider disabled");

      // No wait: the process that disabled the IdP forgot its sessions at once.
      const next = await mallory.page.request.get("/", { maxRedirects: 0 });
      expect(REDIRECT, `GET / answered ${next.status()}`).toContain(next.status());
      expect(new URL(next.headers()["location"] ?? "", JETWAY_BASE_URL).pathname).toBe("/login");
      // In the browser: sent to sign in (the company IdP is the only one listed on /login).
      await mallory.page.reload();
      await expect(mallory.page).toHaveURL((url) => url.origin === IDP_BASE_URL);

      // Control: alice (the company IdP) is still signed in.
      await idpPage.goto("/");
      await new PortalPage(idpPage).expectSignedInAs(USERS.alice);
    } finally {
      await idpPage.goto(`/admin/idps/${CONTRACTOR_IDP_ID}`);
      const enable = idpPage.getByRole("button", { name: "Enable" });
      if (await enable.isVisible()) {
        await enable.click();
        await expect(idpPage.getByTestId("notice")).toHaveText("Identity provider enabled.");
      }
      await Promise.all([mallory.context.close(), admin.context.close()]);
    }
  });

  test("after re-enabling, the contractor's people sign in again", async ({ page }) => {
    await signInThroughContractor(page, CONTRACTOR_USERS.mallory);
    await expect(page.getByTestId("user-email")).toHaveText(CONTRACTOR_USERS.mallory.email);
  });
});
