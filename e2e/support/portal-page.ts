import { expect, type Locator, type Page } from "@playwright/test";
import { E2E_IDP_ID, E2E_IDP_NAME, JETWAY_BASE_URL, type E2eUser } from "./constants";

/** Jetway's portal (`/`): who is signed in, through which IdP, with which groups and roles. */
export class PortalPage {
  readonly userName: Locator;
  readonly userEmail: Locator;
  readonly userIdp: Locator;
  readonly userGroups: Locator;
  readonly signOutButton: Locator;
  /** One per (account, role) the groups grant. */
  readonly roleTiles: Locator;
  /** Shown instead of the tiles when no group maps to a role. */
  readonly noRoles: Locator;
  readonly roleFilter: Locator;

  constructor(private readonly page: Page) {
    this.userName = page.getByTestId("user-name");
    this.userEmail = page.getByTestId("user-email");
    this.userIdp = page.getByTestId("user-idp");
    this.userGroups = page.getByTestId("user-groups").locator("li");
    this.signOutButton = page.getByRole("button", { name: "Sign out" });
    this.roleTiles = page.getByTestId("role-tile");
    this.noRoles = page.getByTestId("no-roles");
    this.roleFilter = page.getByLabel("Filter roles");
  }

  /** The tiles of one account (its heading shows the alias), in the order shown. */
  accountGroup(alias: string): Locator {
    return this.page.getByTestId("account-group").filter({ has: this.page.getByRole("heading", { name: alias }) });
  }

  /** The tile of one role in one account: its first line is exactly the role name. */
  roleTile(alias: string, roleName: string): Locator {
    return this.accountGroup(alias)
      .getByTestId("role-tile")
      .filter({ has: this.page.getByText(roleName, { exact: true }) });
  }

  openConsoleLink(tile: Locator): Locator {
    return tile.getByRole("link", { name: /Open console/ });
  }

  async roleNames(): Promise<string[]> {
    const names: string[] = [];
    for (const tile of await this.roleTiles.all()) {
      names.push(((await tile.locator("p").first().textContent()) ?? "").trim());
    }
    return names;
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
