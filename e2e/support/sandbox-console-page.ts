import { expect, type Locator, type Page } from "@playwright/test";
import { SANDBOX_CONSOLE_URL } from "./constants";

/** The AWS sandbox's console landing page (sandbox/console-page.ts): who arrived, and where to. */
export class SandboxConsolePage {
  readonly signedIn: Locator;
  readonly assumedRoleArn: Locator;
  readonly accountId: Locator;
  readonly sessionName: Locator;
  readonly sourceIdentity: Locator;
  readonly destination: Locator;
  readonly issuer: Locator;
  readonly subject: Locator;

  /** `consoleUrl`: the sandbox's console page (the e2e sandbox's unless given). */
  constructor(
    private readonly page: Page,
    private readonly consoleUrl: string = SANDBOX_CONSOLE_URL,
  ) {
    this.signedIn = page.getByTestId("signed-in");
    this.assumedRoleArn = page.getByTestId("assumed-role-arn");
    this.accountId = page.getByTestId("account-id");
    this.sessionName = page.getByTestId("session-name");
    this.sourceIdentity = page.getByTestId("source-identity");
    this.destination = page.getByTestId("destination");
    this.issuer = page.getByTestId("issuer");
    this.subject = page.getByTestId("subject");
  }

  /** The browser ended on /console (after federation?Action=login) with a console session. */
  async expectOpen(): Promise<void> {
    await expect(this.page).toHaveURL((url) => `${url.origin}${url.pathname}` === this.consoleUrl);
    await expect(this.signedIn).toBeVisible();
  }
}
