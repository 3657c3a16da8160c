import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { ADMIN_PAGES } from "./support/admin-pages";
import { E2E_IDP_ID, PROD_ACCOUNT, READ_ONLY_ROLE_ARN, USERS } from "./support/constants";
import { expect, signInThroughIdp, test } from "./support/fixtures";

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
    ]);
  });
});
