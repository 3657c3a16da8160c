import type { Browser, BrowserContext, Page } from "@playwright/test";
import {
  E2E_ADMIN_CONTACT,
  JETWAY_BASE_URL,
  PORTAL_USERS,
  PROD_ACCOUNT,
  READ_ONLY_ROLE_ARN,
  STAGE_ACCOUNT,
  STAGE_DEVELOPER_ROLE_ARN,
  STAGE_READ_ONLY_ROLE_ARN,
  type E2eUser,
} from "./support/constants";
import { expect, signInThroughIdp, test } from "./support/fixtures";
import { PortalPage } from "./support/portal-page";
import { SandboxConsolePage } from "./support/sandbox-console-page";

/**
 * The portal people open fifty times a day (issue 15), with SimpleSAMLphp users and the AWS
 * sandbox: favourites that follow a person to another browser, recents from the audit trail of
 * /go, search driven from the keyboard, the production confirmation, region and service deep
 * links, and the states with nothing to show.
 */

async function signedIn(browser: Browser, user: E2eUser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInThroughIdp(page, user);
  await expect(page).toHaveURL(`${JETWAY_BASE_URL}/`);
  await new PortalPage(page).expectHydrated();
  return { context, page };
}

const STAGE_CONSOLE_HOME = "https://console.aws.amazon.com/console/home";

test.describe("favourites", () => {
  test("starred and ordered in one browser, the same in a new browser; unstarred there, gone in the first", async ({
    browser,
  }) => {
    const first = await signedIn(browser, PORTAL_USERS.carol);
    const portal = new PortalPage(first.page);
    await expect(portal.favourites).toHaveCount(0);

    await portal.starButton("Developer", STAGE_ACCOUNT.alias).click();
    await expect(portal.favouriteTiles()).toHaveCount(1);
    await portal.starButton("ReadOnly", PROD_ACCOUNT.alias).click();
    await expect(portal.favouriteTiles()).toHaveCount(2);
    // Starred: pressed, and shown under Favourites (with its account named), no longer under its account.
    await expect(portal.starButton("ReadOnly", PROD_ACCOUNT.alias)).toHaveAttribute("aria-pressed", "true");
    await expect(portal.favourites.getByTestId("role-tile").nth(1)).toContainText(PROD_ACCOUNT.alias);
    await expect(portal.roleTile(PROD_ACCOUNT.alias, "ReadOnly")).toHaveCount(0);

    // Reorder with the keyboard: the focus stays on the button of the tile that moved.
    const moveUp = first.page.getByRole("button", { name: `Move ReadOnly in ${PROD_ACCOUNT.alias} up` });
    await moveUp.focus();
    await first.page.keyboard.press("Enter");
    await expect(portal.favouriteTiles().first()).toHaveAttribute("data-role-arn", READ_ONLY_ROLE_ARN);
    await expect(moveUp).toBeFocused();

    // Another browser (no shared cookies or storage): the same favourites, in the same order.
    const second = await signedIn(browser, PORTAL_USERS.carol);
    const elsewhere = new PortalPage(second.page);
    await expect(elsewhere.favouriteTiles()).toHaveCount(2);
    expect(
      await elsewhere.favouriteTiles().evaluateAll((tiles) => tiles.map((t) => (t as HTMLElement).dataset.roleArn)),
    ).toEqual([READ_ONLY_ROLE_ARN, STAGE_DEVELOPER_ROLE_ARN]);

    // Unstarred there...
    await elsewhere.starButton("ReadOnly", PROD_ACCOUNT.alias).click();
    await expect(elsewhere.favouriteTiles()).toHaveCount(1);
    await elsewhere.starButton("Developer", STAGE_ACCOUNT.alias).click();
    await expect(elsewhere.favourites).toHaveCount(0);
    await expect(elsewhere.starButton("Developer", STAGE_ACCOUNT.alias)).toHaveAttribute("aria-pressed", "false");

    // ...and gone in the first browser once it loads the page again.
    await first.page.reload();
    await expect(portal.favourites).toHaveCount(0);
    await expect(portal.roleTile(STAGE_ACCOUNT.alias, "Developer")).toHaveCount(1);
    await Promise.all([first.context.close(), second.context.close()]);
  });
});

test.describe("recents", () => {
  test("after two console openings, the two roles lead the page, newest first, with the console's end", async ({
    page,
    portal,
  }) => {
    await signInThroughIdp(page, PORTAL_USERS.dave);
    await portal.expectHydrated();
    const consolePage = new SandboxConsolePage(page);

    await portal.openConsoleLink(portal.roleTile(STAGE_ACCOUNT.alias, "ReadOnly")).click();
    await consolePage.expectOpen();
    await page.goto("/");
    await expect(portal.recentRoles.first()).toHaveAttribute("data-role-arn", STAGE_READ_ONLY_ROLE_ARN);

    await portal.openConsoleLink(portal.roleTile(STAGE_ACCOUNT.alias, "Developer")).click();
    await consolePage.expectOpen();
    await page.goto("/");
    const arns = await portal.recentRoles.evaluateAll((items) =>
      items.map((item) => (item as HTMLElement).dataset.roleArn),
    );
    expect(arns.slice(0, 2)).toEqual([STAGE_DEVELOPER_ROLE_ARN, STAGE_READ_ONLY_ROLE_ARN]);
    // The console session's end: the mapping's hour from now, told as a clock and a countdown.
    const latest = portal.recentRoles.first();
    await expect(latest.getByTestId("console-ends")).toContainText(/Console until .*\(in (59 min|1 h)\)/);

    // One click away: a recent is a link to /go.
    await expect(latest.getByRole("link")).toHaveAttribute("href", `/go/${STAGE_ACCOUNT.alias}/Developer`);
    await expect(portal.sessionClock).toContainText(/Your Jetway session ends at .+\(in \d+ h( \d+ min)?\)/);
  });
});

test.describe("search from the keyboard", () => {
  test("/ focuses the search; two words and Enter open the first result in the sandbox console", async ({
    page,
    portal,
  }) => {
    await signInThroughIdp(page, PORTAL_USERS.carol);
    await portal.expectHydrated();
    await page.keyboard.press("/");
    await expect(portal.roleFilter).toBeFocused();
    await page.keyboard.type("stage dev");
    await expect(portal.roleTiles).toHaveCount(1);
    // The matched parts are highlighted.
    const result = portal.tileOf(STAGE_DEVELOPER_ROLE_ARN);
    await expect(result.locator("mark")).toHaveText(["Dev", "stage"]);
    await expect(result.getByTestId("environment-badge")).toHaveText("staging");

    await page.keyboard.press("Enter");
    const consolePage = new SandboxConsolePage(page);
    await consolePage.expectOpen();
    await expect(consolePage.assumedRoleArn).toHaveText(
      `arn:aws:sts::${STAGE_ACCOUNT.id}:assumed-role/Developer/${PORTAL_USERS.carol.email}`,
    );
    await expect(consolePage.destination).toHaveText(STAGE_CONSOLE_HOME);
    // stage opts in: the session carries its environment as a session tag.
    await expect(page.locator('[data-testid="session-tag"][data-key="Environment"]')).toContainText("staging");
  });

  test("the arrow keys move through the results; Enter opens the chosen one; Ctrl+Enter opens a new tab", async ({
    page,
    context,
    portal,
  }) => {
    await signInThroughIdp(page, PORTAL_USERS.carol);
    await portal.expectHydrated();
    await portal.roleFilter.focus();
    await page.keyboard.type("stage");
    await expect(portal.roleTiles).toHaveCount(2);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    const second = portal.searchResults.getByRole("link", { name: /^Open console as / }).nth(1);
    await expect(second).toBeFocused();
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    await expect(portal.roleFilter).toBeFocused();

    // Ctrl+Enter in the search box: the first result in a new tab; the portal stays.
    const [newTab] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("Control+Enter")]);
    await new SandboxConsolePage(newTab).expectOpen();
    await expect(new SandboxConsolePage(newTab).accountId).toHaveText(STAGE_ACCOUNT.id);
    await expect(page).toHaveURL(`${JETWAY_BASE_URL}/`);
    await newTab.close();

    // Enter on a focused result opens that one.
    await portal.roleFilter.focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    const chosen = await page.evaluate(
      () => document.activeElement?.closest<HTMLElement>("li[data-role-arn]")?.dataset.roleArn,
    );
    await page.keyboard.press("Enter");
    const consolePage = new SandboxConsolePage(page);
    await consolePage.expectOpen();
    await expect(consolePage.assumedRoleArn).toHaveText(
      `arn:aws:sts::${STAGE_ACCOUNT.id}:assumed-role/${chosen?.split("/").pop()}/${PORTAL_USERS.carol.email}`,
    );
  });

  test("a production role opened from search with Enter asks once more; Escape goes back to the search", async ({
    page,
    portal,
  }) => {
    await signInThroughIdp(page, PORTAL_USERS.carol);
    await portal.expectHydrated();
    await page.keyboard.press("/");
    await page.keyboard.type("prod read");
    await expect(portal.roleTiles.first()).toHaveAttribute("data-role-arn", READ_ONLY_ROLE_ARN);

    await page.keyboard.press("Enter");
    await expect(portal.confirmOpen).toBeVisible();
    await expect(portal.confirmOpen).toContainText("Open the production console as ReadOnly?");
    await expect(portal.confirmOpen.getByRole("button", { name: "Open console" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(portal.confirmOpen).toBeHidden();
    await expect(portal.roleFilter).toBeFocused();
    await expect(page).toHaveURL(`${JETWAY_BASE_URL}/`);

    // Enter, Enter: asked, confirmed, opened.
    await page.keyboard.press("Enter");
    await expect(portal.confirmOpen).toBeVisible();
    await page.keyboard.press("Enter");
    const consolePage = new SandboxConsolePage(page);
    await consolePage.expectOpen();
    await expect(consolePage.assumedRoleArn).toHaveText(
      `arn:aws:sts::${PROD_ACCOUNT.id}:assumed-role/ReadOnly/${PORTAL_USERS.carol.email}`,
    );

    // A staging role does not ask (production only, by default).
    await page.goto("/");
    await portal.expectHydrated();
    await portal.roleFilter.fill("stage read");
    await portal.roleFilter.press("Enter");
    await consolePage.expectOpen();
    await expect(consolePage.accountId).toHaveText(STAGE_ACCOUNT.id);
  });

  test("no result says why and whom to ask (portal.adminContact)", async ({ page, portal }) => {
    await signInThroughIdp(page, PORTAL_USERS.carol);
    await portal.expectHydrated();
    await portal.roleFilter.fill("billing");
    await expect(portal.noResults).toContainText("No role matches “billing”.");
    await expect(portal.noResults).toContainText(`ask ${E2E_ADMIN_CONTACT} for access`);
    await expect(portal.noResults.getByRole("link", { name: "cloud@example.com" })).toHaveAttribute(
      "href",
      "mailto:cloud@example.com",
    );
    await page.keyboard.press("Escape");
    await expect(portal.roleFilter).toHaveValue("");
    await expect(portal.roleTiles).toHaveCount(4);
  });
});

test.describe("region and service", () => {
  test("the tile's panel opens S3 in a chosen region on the sandbox console; Copy link copies the same deep link", async ({
    page,
    context,
    portal,
  }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: JETWAY_BASE_URL });
    await signInThroughIdp(page, PORTAL_USERS.carol);
    await portal.expectHydrated();
    const tile = portal.roleTile(STAGE_ACCOUNT.alias, "Developer");
    const toggle = tile.getByRole("button", { name: `Region and service for Developer in ${STAGE_ACCOUNT.alias}` });
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    const panel = tile.getByTestId("tile-menu");
    await panel.getByLabel("Region").selectOption("eu-west-1");

    const ec2Link = `${JETWAY_BASE_URL}/go/${STAGE_ACCOUNT.alias}/Developer?destination=${encodeURIComponent("/ec2/home?region=eu-west-1")}`;
    await panel
      .getByRole("button", { name: `Copy link to EC2 as Developer in ${STAGE_ACCOUNT.alias} in eu-west-1` })
      .click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(ec2Link);
    // IAM is global: no region in its link.
    await expect(panel.getByRole("link", { name: `Open IAM as Developer in ${STAGE_ACCOUNT.alias}` })).toHaveAttribute(
      "href",
      `/go/${STAGE_ACCOUNT.alias}/Developer?destination=${encodeURIComponent("/iam/home")}`,
    );

    // Escape closes the panel and gives the focus back to its toggle.
    await panel.getByLabel("Region").focus();
    await page.keyboard.press("Escape");
    await expect(panel).toHaveCount(0);
    await expect(toggle).toBeFocused();

    await toggle.click();
    await tile.getByTestId("tile-menu").getByLabel("Region").selectOption("eu-west-1");
    await tile.getByRole("link", { name: `Open S3 as Developer in ${STAGE_ACCOUNT.alias} in eu-west-1` }).click();
    const consolePage = new SandboxConsolePage(page);
    await consolePage.expectOpen();
    await expect(consolePage.destination).toHaveText("https://console.aws.amazon.com/s3/buckets?region=eu-west-1");
    await expect(consolePage.accountId).toHaveText(STAGE_ACCOUNT.id);

    // The copied link works as a bookmark.
    await page.goto(ec2Link);
    await consolePage.expectOpen();
    await expect(consolePage.destination).toHaveText("https://console.aws.amazon.com/ec2/home?region=eu-west-1");
  });
});

test.describe("states with nothing to show", () => {
  test("an IdP that sent no groups: the portal says what the admin should check and whom to ask", async ({
    page,
    portal,
  }) => {
    await signInThroughIdp(page, PORTAL_USERS.frank);
    await expect(portal.noRoles).toHaveAttribute("data-reason", "no-groups");
    await expect(portal.noRoles).toContainText("Your identity provider sent no groups");
    await expect(portal.noRoles).toContainText("groups"); // the attribute Jetway reads
    await expect(portal.noRoles).toContainText(E2E_ADMIN_CONTACT);
    await expect(portal.roleFilter).toHaveCount(0);
  });

  test("STS refusing: /go says why, in the sentence mapped for the refusal, with the way back", async ({
    page,
    portal,
  }) => {
    await signInThroughIdp(page, PORTAL_USERS.carol);
    await portal.expectHydrated();
    // The sandbox's Admin role does not allow sts:SetSourceIdentity, which Jetway always sends.
    await portal.openConsoleLink(portal.roleTile(PROD_ACCOUNT.alias, "Admin")).click();
    await expect(page.getByRole("heading", { name: "Cannot open the AWS console" })).toBeVisible();
    await expect(page.getByText(/sts:SetSourceIdentity/)).toBeVisible();
    await page.getByRole("link", { name: "Back to your roles" }).click();
    await expect(page).toHaveURL(`${JETWAY_BASE_URL}/`);
  });
});

test.describe("without JavaScript", () => {
  test("tiles are links and the search box is a form; the buttons that need JavaScript are disabled", async ({
    browser,
  }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      // The IdP's auto-post needs JavaScript: sign in with it, then look at the portal without.
      const withJs = await browser.newContext();
      const signInPage = await withJs.newPage();
      await signInThroughIdp(signInPage, PORTAL_USERS.carol);
      await expect(signInPage).toHaveURL(`${JETWAY_BASE_URL}/`);
      await context.addCookies(await withJs.cookies(JETWAY_BASE_URL));
      await withJs.close();

      await page.goto("/");
      const portal = new PortalPage(page);
      // Every tile is in the HTML itself (nothing waits for a script to be shown).
      await expect(portal.roleTiles).toHaveCount(4);
      const open = portal.openConsoleLink(portal.roleTile(STAGE_ACCOUNT.alias, "ReadOnly"));
      await expect(open).toHaveAttribute("href", `/go/${STAGE_ACCOUNT.alias}/ReadOnly`);

      await portal.roleFilter.fill("stage read");
      await portal.roleFilter.press("Enter");
      await expect(page).toHaveURL(`${JETWAY_BASE_URL}/?q=stage+read`);
      await expect(portal.roleTiles).toHaveCount(1);
      await expect(portal.roleTiles.first()).toHaveAttribute("data-role-arn", STAGE_READ_ONLY_ROLE_ARN);

      // The buttons that need JavaScript (favourites, region panel, Copy link) say so: disabled, no click lost.
      await page.goto("/");
      await expect(portal.starButton("ReadOnly", STAGE_ACCOUNT.alias)).toBeDisabled();
      await expect(page.getByRole("button", { name: /^Copy link/ }).first()).toBeDisabled();
    } finally {
      await context.close();
    }
  });
});
