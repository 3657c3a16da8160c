import fs from "node:fs";
import path from "node:path";
import { expect, type Locator, type Page } from "@playwright/test";
import { E2E_IDP_ID, PROD_ACCOUNT, ROOT_DIR } from "./constants";

/** Every admin page (those with an id: one that exists in the e2e configuration). */
export const ADMIN_PAGES = [
  "/admin",
  "/admin/mappings",
  "/admin/mappings/new",
  "/admin/simulator",
  "/admin/access",
  "/admin/accounts",
  "/admin/accounts/new",
  `/admin/accounts/${PROD_ACCOUNT.id}`,
  "/admin/idps",
  "/admin/idps/new",
  `/admin/idps/${E2E_IDP_ID}`,
  "/admin/audit",
  "/admin/config",
  "/admin/sessions",
  "/admin/audit-delivery",
] as const;

interface MappingFields {
  group?: string;
  roleArn?: string;
  label?: string;
  sessionDuration?: number;
  /** The connection id the rule belongs to. */
  idp?: string;
}

/** The admin console's mappings pages (/admin/mappings, /new, /{id}). */
export class AdminMappingsPage {
  readonly rows: Locator;
  readonly notice: Locator;

  constructor(private readonly page: Page) {
    this.rows = page.getByTestId("mapping-row");
    this.notice = page.getByTestId("notice");
  }

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/admin/mappings${query}`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Group-to-role mappings" })).toBeVisible();
  }

  row(group: string, roleArn: string): Locator {
    return this.rows.filter({ hasText: group }).filter({ hasText: roleArn });
  }

  /**
   * Fills the add form (exact group rule) and submits it. The rule is scoped to `idp`, by default
   * the company IdP (E2E_IDP_ID; the replicas spec's IdP has the same id).
   */
  async add(mapping: MappingFields & { group: string; roleArn: string }): Promise<void> {
    await this.page.goto("/admin/mappings/new");
    await this.fill({ idp: E2E_IDP_ID, ...mapping });
    await this.page.getByRole("button", { name: "Add mapping" }).click();
  }

  async fill(mapping: MappingFields): Promise<void> {
    const form = this.page.getByRole("form", { name: "Mapping" });
    // The IdP (issue 9 item 3) is a required choice once there are several; chosen when offered.
    const idp = form.getByLabel("Identity provider");
    if (mapping.idp !== undefined && (await idp.count()) > 0) await idp.selectOption(mapping.idp);
    if (mapping.group !== undefined) await form.getByLabel("IdP group").fill(mapping.group);
    if (mapping.roleArn !== undefined) await form.getByLabel("IAM role ARN").fill(mapping.roleArn);
    if (mapping.label !== undefined) await form.getByLabel("Label (optional)").fill(mapping.label);
    if (mapping.sessionDuration !== undefined)
      await form.getByLabel("Session duration (seconds)").fill(String(mapping.sessionDuration));
  }

  async openEdit(group: string, roleArn: string): Promise<void> {
    await this.row(group, roleArn)
      .getByRole("link", { name: /^Edit mapping/ })
      .click();
    await expect(this.page.getByRole("heading", { level: 1, name: "Edit mapping" })).toBeVisible();
  }

  async delete(group: string, roleArn: string): Promise<void> {
    await this.goto();
    await this.openEdit(group, roleArn);
    await this.page.getByRole("button", { name: "Delete mapping…" }).click();
    await this.page.getByRole("button", { name: "Yes, delete mapping" }).click();
    await expect(this.notice).toHaveText("Mapping deleted.");
  }

  fieldError(field: string): Locator {
    return this.page.getByTestId(`${field}-error`);
  }
}

/** A server action of the build: its id and a page that hosts it (from Next's server reference manifest). */
export interface BuiltServerAction {
  id: string;
  name: string;
  file: string;
  pagePath: string;
}

/**
 * Every server action defined under app/admin in the production build, read from
 * .next/server/server-reference-manifest.json: what a browser would post to (Next-Action header).
 */
export function adminServerActions(): BuiltServerAction[] {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(ROOT_DIR, ".next/server/server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }>;
  };
  return Object.entries(manifest.node)
    .filter(([, entry]) => entry.filename?.startsWith("app/admin/"))
    .map(([id, entry]) => {
      const worker = Object.keys(entry.workers).find((w) => w.startsWith("app/admin/")) ?? "app/admin/page";
      const pagePath = `/${worker.replace(/^app\//, "").replace(/\/page$/, "")}`.replace(/\[[^\]]+\]/g, "x");
      return { id, name: entry.exportedName ?? "?", file: entry.filename ?? "?", pagePath };
    });
}
