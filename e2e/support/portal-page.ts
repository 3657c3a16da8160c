import { expect, type Locator, type Page } from "@playwright/test";
import { E2E_IDP_ID, E2E_IDP_NAME, JETWAY_BASE_URL, type E2eUser } from "./constants";

/** Jetway's portal (`/`): who is signed in, through which IdP, with which groups. */
export class PortalPage {
  readonly userName: Locator;
  readonly userEmail: Locator;
  readonly userIdp: Locator;
  readonly userGroups: Locator;
  readonly signOutButton: Locator;

  constructor(private readonly page: Page) {
    this.userName = page.getByTestId("user-name");
    this.userEmail = page.getByTestId("user-email");
    this.userIdp = page.getByTestId("user-idp");
    this.userGroups = page.getByTestId("user-groups").locator("li");
    this.signOutButton = page.getByRole("button", { name: "Sign out" });
  }

  async goto(pathAndQuery = "/"): Promise<void> {
    await this.page.goto(pathAndQuery);
  }

  async expectAt(pathAndQuery = "/"): Promise<void> {
    await expect(this.page).toHaveURL(`${JETWAY_BASE_URL}${pathAndQuery}`);
  }

  async expectSignedInAs(user: E2eUser): Promise<void> {
    await expect(this.userName).toHaveText(user.displayName);
    await expect(this.userEmail).toHaveText(user.email);
    await expect(this.userIdp).toContainText(new RegExp(`${escapeRegExp(E2E_IDP_NAME)}|${E2E_IDP_ID}`));
    await expect(this.userGroups).toHaveCount(user.groups.length);
    const shown = (await this.userGroups.allTextContents()).map((g) => g.trim()).sort();
    expect(shown).toEqual([...user.groups].sort());
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
