import { expect, type Locator, type Page } from "@playwright/test";
import { IDP_BASE_URL, type E2eUser } from "./constants";

/** SimpleSAMLphp's exampleauth:UserPass login form (core/loginuserpass.php). */
export class IdpLoginPage {
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;

  /** `idpBaseUrl`: the IdP's origin (the e2e IdP unless given; the demo's is elsewhere). */
  constructor(
    private readonly page: Page,
    private readonly idpBaseUrl: string = IDP_BASE_URL,
  ) {
    this.username = page.locator("#username");
    this.password = page.locator("#password");
    this.submit = page.locator("#submit_button");
  }

  async expectOpen(): Promise<void> {
    await expect(this.page).toHaveURL((url) => url.origin === this.idpBaseUrl);
    await expect(this.username).toBeVisible();
  }

  /** Fills the form and submits; the IdP then auto-posts the SAMLResponse to Jetway's ACS. */
  async signIn(user: Pick<E2eUser, "username" | "password">): Promise<void> {
    await this.expectOpen();
    await this.username.fill(user.username);
    await this.password.fill(user.password);
    await this.submit.click();
  }

  async expectWrongPasswordError(): Promise<void> {
    await expect(this.page.getByText("Incorrect username or password")).toBeVisible();
  }
}
