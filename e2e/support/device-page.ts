import { expect, type Locator, type Page } from "@playwright/test";
import { JETWAY_BASE_URL } from "./constants";

/** Jetway's /device page (app/device/route.ts): a signed-in person approves or denies a `jetway login`. */
export class DevicePage {
  readonly heading: Locator;
  readonly userCode: Locator;
  readonly hostname: Locator;
  readonly osUser: Locator;
  readonly cliVersion: Locator;
  readonly ip: Locator;
  readonly approveButton: Locator;
  readonly denyButton: Locator;
  readonly result: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Sign in the Jetway command line?" });
    this.userCode = page.getByTestId("device-user-code");
    this.hostname = page.getByTestId("device-hostname");
    this.osUser = page.getByTestId("device-os-user");
    this.cliVersion = page.getByTestId("device-cli-version");
    this.ip = page.getByTestId("device-ip");
    this.approveButton = page.getByRole("button", { name: "Approve", exact: true });
    this.denyButton = page.getByRole("button", { name: "Deny", exact: true });
    this.result = page.getByRole("status");
  }

  /** The question for `userCode`, once the person is signed in (the caller signs in if needed). */
  async expectQuestion(userCode: string): Promise<void> {
    await expect(this.page).toHaveURL(`${JETWAY_BASE_URL}/device?user_code=${userCode}`);
    await expect(this.heading).toBeVisible();
    await expect(this.userCode).toHaveText(userCode);
  }

  async approve(): Promise<void> {
    await this.approveButton.click();
    await expect(this.result).toHaveText("Approved: return to your terminal.");
  }

  async deny(): Promise<void> {
    await this.denyButton.click();
    await expect(this.result).toHaveText("Denied.");
  }
}
