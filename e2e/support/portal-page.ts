import { expect, type Locator, type Page } from "@playwright/test";
import { E2E_IDP_ID, E2E_IDP_NAME, JETWAY_BASE_URL, type E2eUser } from "./constants";

/** Jetway's portal (`/`): who is signed in, through which IdP, with which groups and roles. */
export class PortalPage {
  readonly userName: Locator;
  readonly userEmail: Locator;
  readonly userIdp: Locator;
  readonly userGroups: Locator;
  readonly signOutButton: Locator;
  /** The tiles shown: one per (account, role) the groups grant, or the search's results. */
  readonly roleTiles: Locator;
  /** Shown instead of the tiles when no group maps to a role (data-reason: no-groups or no-mapping). */
  readonly noRoles: Locator;
  /** The search box ("/" focuses it). */
  readonly roleFilter: Locator;
  /** The ranked results while the search box holds a query. */
  readonly searchResults: Locator;
  readonly noResults: Locator;
  readonly favourites: Locator;
  /** The last roles opened, newest first. */
  readonly recentRoles: Locator;
  readonly sessionClock: Locator;
  /** The "open the production console?" dialog. */
  readonly confirmOpen: Locator;

  constructor(private readonly page: Page) {
    this.userName = page.getByTestId("user-name");
    this.userEmail = page.getByTestId("user-email");
    this.userIdp = page.getByTestId("user-idp");
    this.userGroups = page.getByTestId("user-groups").locator("li");
    this.signOutButton = page.getByRole("button", { name: "Sign out" });
    // Visible ones: while searching, the results replace the (hidden) sections.
    this.roleTiles = page.locator('[data-testid="role-tile"]:visible');
    this.noRoles = page.getByTestId("no-roles");
    this.roleFilter = page.getByRole("searchbox", { name: "Search roles" });
    this.searchResults = page.getByTestId("search-results");
    this.noResults = page.getByTestId("no-results");
    this.favourites = page.getByTestId("favourites");
    this.recentRoles = page.getByTestId("recent-role");
    this.sessionClock = page.getByTestId("session-clock");
    this.confirmOpen = page.getByRole("dialog");
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

  /** Favourite tiles, in the person's order. */
  favouriteTiles(): Locator {
    return this.favourites.getByTestId("role-tile");
  }

  /** A role's tile wherever it is shown (favourites, account groups, results): by its ARN. */
  tileOf(roleArn: string): Locator {
    return this.page.locator(`[data-testid="role-tile"][data-role-arn="${roleArn}"]:visible`);
  }

  starButton(roleName: string, alias: string): Locator {
    return this.page.getByRole("button", { name: `Favourite ${roleName} in ${alias}`, exact: true });
  }

  /** Waits until the tiles' JavaScript is attached (Copy link is disabled until then). */
  async expectHydrated(): Promise<void> {
    await expect(this.page.getByRole("button", { name: /^Copy link/ }).first()).toBeEnabled();
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
