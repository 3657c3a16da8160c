import { test as base, expect, type Page } from "@playwright/test";
import { CONTRACTOR_IDP_BASE_URL, CONTRACTOR_IDP_ID, type E2eUser } from "./constants";
import { IdpLoginPage } from "./idp-login-page";
import { PortalPage } from "./portal-page";

interface Fixtures {
  idpLogin: IdpLoginPage;
  portal: PortalPage;
}

export const test = base.extend<Fixtures>({
  idpLogin: async ({ page }, use) => {
    await use(new IdpLoginPage(page));
  },
  portal: async ({ page }, use) => {
    await use(new PortalPage(page));
  },
});

export { expect };

/**
 * SP-initiated sign-in for real: open a Jetway page while signed out, which goes through
 * /login to SimpleSAMLphp's form; log in; the IdP posts back to the ACS.
 */
export async function signInThroughIdp(page: Page, user: E2eUser, start = "/"): Promise<void> {
  await page.goto(start);
  await new IdpLoginPage(page).signIn(user);
}

/**
 * The same through the contractor IdP, which is unlisted on /login: /login?idp=contractor, its
 * SimpleSAMLphp form, back to `next`.
 */
export async function signInThroughContractor(page: Page, user: E2eUser, next = "/"): Promise<void> {
  await page.goto(`/login?${new URLSearchParams({ idp: CONTRACTOR_IDP_ID, next })}`);
  await new IdpLoginPage(page, CONTRACTOR_IDP_BASE_URL).signIn(user);
}
