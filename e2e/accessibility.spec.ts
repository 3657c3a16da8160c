import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { ADMIN_PAGES } from "./support/admin-pages";
import {
  ACCESS_USERS,
  CONTRACTOR_IDP_ID,
  CONTRACTOR_IDP_NAME,
  E2E_IDP_ID,
  E2E_IDP_NAME,
  OPERATOR_ROLE_ARN,
  PORTAL_USERS,
  PROD_ACCOUNT,
  READ_ONLY_ROLE_ARN,
  STAGE_ACCOUNT,
  USERS,
} from "./support/constants";
import { expect, signInThroughIdp, test } from "./support/fixtures";
import { PortalPage } from "./support/portal-page";

/**
 * Every page people see, checked with axe-core against WCAG 2.1 A and AA (labels, names, contrast,
 * landmarks, document language...), on a laptop and on a phone. What axe cannot judge (keyboard
 * order, the wording) is covered by the specs that drive the pages by role and label.
 */

const VIEWPORTS = [
  { name: "laptop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const found = result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.replace(/\n/g, " ")}`).join("\n")}`,
  );
  expect(found, `${what}: accessibility violations`).toEqual([]);
}

async function checkPages(
  page: Page,
  paths: readonly string[],
  expectedStatus: (path: string) => number = () => 200,
): Promise<void> {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    for (const path of paths) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(expectedStatus(path));
      await expectAccessible(page, `${path} on a ${viewport.name}`);
    }
  }
}

/** Each state, set up on the page as it is, checked on both viewports (no navigation in between). */
async function checkStates(page: Page, states: { name: string; enter: () => Promise<void> }[]): Promise<void> {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    for (const state of states) {
      await state.enter();
      await expectAccessible(page, `${state.name} on a ${viewport.name}`);
    }
  }
}

test.describe("accessibility (axe-core, WCAG 2.1 AA)", () => {
  test("the portal, the command-line page, a refusal page and the signed-out page", async ({ page }) => {
    await signInThroughIdp(page, USERS.alice);
    await expect(page.getByTestId("user-name")).toBeVisible();
    await checkPages(
      page,
      ["/", "/command-line", `/go/${PROD_ACCOUNT.alias}/ReadOnly?destination=https%3A%2F%2Fevil.example`],
      (p) => (p.startsWith("/go/") ? 400 : 200),
    );
    await page.goto("/");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signed-out$/);
    await checkPages(page, ["/signed-out"]);
  });

  test("the portal of someone without roles, and the admin console's 403 page", async ({ page }) => {
    await signInThroughIdp(page, USERS.bob);
    await expect(page.getByTestId("user-name")).toBeVisible();
    await checkPages(page, ["/", "/admin"], (p) => (p === "/" ? 200 : 403));
    // Just-in-time access (issue 14): someone who approves nothing is told who does.
    await checkPages(page, ["/requests"]);
    await expect(page.getByTestId("approves-nothing")).toBeVisible();
  });

  test("the portal's states: favourites, recents, search results and none, the region panel, the production question", async ({
    page,
  }) => {
    await signInThroughIdp(page, PORTAL_USERS.carol);
    const portal = new PortalPage(page);
    await portal.expectHydrated();
    // A favourite and a recent, so that both sections show.
    await portal.starButton("Developer", STAGE_ACCOUNT.alias).click();
    await expect(portal.favouriteTiles()).toHaveCount(1);
    await page.goto(`/go/${STAGE_ACCOUNT.alias}/ReadOnly`);
    await page.goto("/");
    await expect(portal.recentRoles.first()).toBeVisible();
    try {
      await checkStates(page, [
        {
          name: "the portal with favourites and recents",
          enter: async () => {
            await page.goto("/");
            await portal.expectHydrated();
          },
        },
        {
          name: "search results with highlights",
          enter: async () => {
            await portal.roleFilter.fill("stage");
            await expect(portal.searchResults.locator("mark").first()).toBeVisible();
          },
        },
        {
          name: "a search without results",
          enter: async () => {
            await portal.roleFilter.fill("no-such-role");
            await expect(portal.noResults).toBeVisible();
          },
        },
        {
          name: "the region and service panel",
          enter: async () => {
            await portal.roleFilter.fill("");
            await page
              .getByRole("button", { name: `Region and service for ReadOnly in ${STAGE_ACCOUNT.alias}` })
              .click();
            await expect(page.getByTestId("tile-menu")).toBeVisible();
          },
        },
        {
          name: "the production question",
          enter: async () => {
            await portal.roleFilter.fill("prod read");
            await portal.roleFilter.press("Enter");
            await expect(portal.confirmOpen).toBeVisible();
          },
        },
      ]);
    } finally {
      await page.goto("/");
      await portal.expectHydrated();
      await portal.starButton("Developer", STAGE_ACCOUNT.alias).click();
      await expect(portal.favourites).toHaveCount(0);
    }
  });

  test("the portal of someone whose IdP sent no groups, and STS's refusal page", async ({ page }) => {
    await signInThroughIdp(page, PORTAL_USERS.frank);
    await expect(page.getByTestId("no-roles")).toHaveAttribute("data-reason", "no-groups");
    await checkPages(page, ["/"]);
    await page.context().clearCookies();
    await signInThroughIdp(page, PORTAL_USERS.carol);
    await expect(page.getByTestId("user-name")).toBeVisible();
    // The sandbox's prod Admin role refuses the source identity Jetway sends: STS's AccessDenied, explained.
    await checkPages(page, [`/go/${PROD_ACCOUNT.alias}/Admin`], () => 403);
  });

  test("the sign-in page choosing between two IdPs", async ({ page, browser }) => {
    // The contractor IdP is unlisted in the e2e config: list it for this test, so /login offers two.
    await signInThroughIdp(page, USERS.alice, `/admin/idps/${CONTRACTOR_IDP_ID}`);
    const options = page.getByRole("form", { name: "Identity provider options" });
    const setListed = async (listed: boolean) => {
      await options.getByLabel("List on the sign-in page").setChecked(listed);
      await page.getByRole("button", { name: "Save options" }).click();
      await expect(page.getByTestId("notice")).toHaveText("Options saved.");
    };
    await setListed(true);
    const signedOut = await browser.newContext();
    try {
      const chooser = await signedOut.newPage();
      await chooser.goto("/login");
      const idps = chooser.getByRole("list", { name: "Identity providers" }).getByRole("link");
      await expect(idps).toHaveText([E2E_IDP_NAME, CONTRACTOR_IDP_NAME].sort((a, b) => a.localeCompare(b)));
      await checkPages(chooser, ["/login", "/login?next=%2Fcommand-line"]);
    } finally {
      await signedOut.close();
      await setListed(false);
    }
  });

  test("every admin page", async ({ page }) => {
    // About fifteen pages, each checked by axe at a laptop and a phone width: more than the default
    // minute on a busy two-core machine.
    test.setTimeout(180_000);
    await signInThroughIdp(page, USERS.alice, "/admin");
    await expect(page.getByRole("heading", { name: "Admin console" })).toBeVisible();
    await page.goto("/admin/mappings");
    const firstMapping = await page
      .locator('a[href^="/admin/mappings/"]:not([href$="/new"])')
      .first()
      .getAttribute("href");
    await checkPages(page, [
      ...ADMIN_PAGES,
      ...(firstMapping ? [firstMapping] : []),
      `/admin/simulator?idp=${E2E_IDP_ID}&groups=${encodeURIComponent("aws-prod-readonly\ndevelopers")}`,
      `/admin/simulator?role=${encodeURIComponent(READ_ONLY_ROLE_ARN)}`,
      "/admin/audit?result=failure",
      "/admin/audit?from=not-a-date",
      // Just-in-time access (issue 14): the approvers' queue as an admin sees it, and the request form's refusal.
      "/requests",
      "/requests?state=denied&q=nobody",
      "/requests/new?mapping=no-such-mapping&role=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2FNone",
    ]);
  });

  test("just-in-time access with content: the request form and its errors, a pending request, the queue, a grant", async ({
    page,
    browser,
  }) => {
    test.setTimeout(180_000);
    // jill (ACCESS_USERS) asks for Operator; pat decides; alice sees the grant (e2e/access-requests.spec.ts drives these).
    await signInThroughIdp(page, ACCESS_USERS.jill);
    const portal = new PortalPage(page);
    await portal.tileOf(OPERATOR_ROLE_ARN).getByTestId("request-access").click();
    const form = page.getByTestId("request-form");
    await expect(form).toBeVisible();
    const formPath = new URL(page.url()).pathname + new URL(page.url()).search;
    await checkStates(page, [
      {
        name: "the request form",
        enter: async () => {
          await page.goto(formPath);
          await expect(form).toBeVisible();
        },
      },
      {
        name: "the request form with a field error",
        enter: async () => {
          await page.getByTestId("submit-request").click();
          await expect(page.getByTestId("request-form-error")).toBeVisible();
        },
      },
    ]);
    await page.getByLabel(/^Reason/).fill("Accessibility check of a pending request");
    await page.getByTestId("submit-request").click();
    await expect(page).toHaveURL(/\/requests\/[^/?]+\?notice=requested$/);
    const requestPath = new URL(page.url()).pathname;
    const approver = await browser.newContext();
    const admin = await browser.newContext();
    try {
      await checkPages(page, [requestPath, "/"]);
      const pat = await approver.newPage();
      await signInThroughIdp(pat, ACCESS_USERS.pat);
      await expect(pat.getByTestId("user-name")).toBeVisible();
      await checkPages(pat, ["/requests", requestPath]);
      await pat.getByRole("button", { name: /^Approve / }).click();
      await expect(pat.getByTestId("notice")).toHaveText("Approved.");
      await checkPages(pat, [requestPath]);
      await checkPages(page, ["/", requestPath]);
      const alice = await admin.newPage();
      await signInThroughIdp(alice, USERS.alice, "/admin/access");
      await expect(alice.getByTestId("active-grant").first()).toBeVisible();
      await checkPages(alice, ["/admin/access"]);
    } finally {
      // Revoked, so that Operator is jill's to request again (a page of its own: the test may have
      // stopped in the middle of another's navigation).
      const cleanup = await approver.newPage();
      await cleanup.goto(requestPath);
      const revoke = cleanup.getByRole("button", { name: /^Revoke grant/ });
      if ((await revoke.count()) > 0) await revoke.click();
      await Promise.all([approver.close(), admin.close()]);
    }
  });
});
