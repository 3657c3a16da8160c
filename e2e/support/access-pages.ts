import Database from "better-sqlite3";
import { expect, type Locator, type Page } from "@playwright/test";

/**
 * Just-in-time access (issue 14) as people drive it: the request form (/requests/new, from a
 * portal tile's "Request access"), one request's page (/requests/<id>) and the approvers' queue
 * (/requests); and the few facts of the database a spec checks or moves (a grant's end).
 */

/** The request form: reason, duration, ticket, and break-glass where the role allows it. */
export class RequestFormPage {
  readonly form: Locator;
  readonly reason: Locator;
  readonly duration: Locator;
  readonly ticket: Locator;
  readonly submit: Locator;
  readonly breakGlass: Locator;
  readonly error: Locator;

  constructor(private readonly page: Page) {
    this.form = page.getByTestId("request-form");
    this.reason = this.form.getByLabel(/^Reason/);
    this.duration = this.form.getByLabel("Duration");
    this.ticket = this.form.getByLabel("Ticket");
    this.submit = page.getByTestId("submit-request");
    this.breakGlass = page.getByTestId("submit-break-glass");
    this.error = page.getByTestId("request-form-error");
  }

  async fill(fields: { reason?: string; durationSeconds?: number; ticket?: string }): Promise<void> {
    await expect(this.form).toBeVisible();
    if (fields.reason !== undefined) await this.reason.fill(fields.reason);
    if (fields.durationSeconds !== undefined) await this.duration.selectOption(String(fields.durationSeconds));
    if (fields.ticket !== undefined) await this.ticket.fill(fields.ticket);
  }

  /** Sends the request (or activates it with break-glass) and returns the new request's id, from its page's URL. */
  async send(how: "request" | "break-glass" = "request"): Promise<string> {
    await (how === "request" ? this.submit : this.breakGlass).click();
    await expect(this.page).toHaveURL(/\/requests\/[^/?]+\?notice=(requested|activated)$/);
    const id = /\/requests\/([^/?]+)/.exec(this.page.url())?.[1];
    if (!id) throw new Error(`no request id in ${this.page.url()}`);
    return decodeURIComponent(id);
  }
}

/** One request's page: its state, facts and the viewer's actions. */
export class RequestPage {
  readonly state: Locator;
  readonly outcome: Locator;
  readonly notice: Locator;
  readonly breakGlassBadge: Locator;
  readonly needsReviewBadge: Locator;
  readonly approvals: Locator;
  readonly review: Locator;
  readonly whyNot: Locator;
  /** A refusal of the last action, shown in its form. */
  readonly actionError: Locator;
  readonly comment: Locator;

  constructor(private readonly page: Page) {
    const summary = page.getByTestId("request-summary");
    this.state = summary.getByTestId("request-state");
    this.outcome = page.getByTestId("request-outcome");
    this.notice = page.getByTestId("notice");
    this.breakGlassBadge = summary.getByTestId("break-glass-badge");
    this.needsReviewBadge = summary.getByTestId("needs-review-badge");
    this.approvals = page.getByTestId("approvals");
    this.review = page.getByTestId("review");
    this.whyNot = page.getByTestId("why-not");
    this.actionError = page.getByTestId("request-action-error");
    this.comment = page.getByTestId("decide-form").getByLabel("Comment (optional)");
  }

  async goto(id: string): Promise<void> {
    await this.page.goto(`/requests/${encodeURIComponent(id)}`);
    await expect(this.state).toBeVisible();
  }

  /** The approver's buttons: their accessible names start with the label ("Approve Jill's request for …"). */
  approveButton(): Locator {
    return this.page.getByRole("button", { name: /^Approve / });
  }

  denyButton(): Locator {
    return this.page.getByRole("button", { name: /^Deny / });
  }

  async expectState(state: string): Promise<void> {
    await expect(this.state).toHaveAttribute("data-state", state);
  }
}

/** The row of AccessRequest a spec reads (dates as Date), from a Jetway's SQLite file. */
export interface GrantRow {
  id: string;
  state: string;
  breakGlass: boolean;
  durationSeconds: number;
  activatedAt: Date | null;
  expiresAt: Date | null;
  reviewedAt: Date | null;
}

/** Prisma's SQLite adapter stores DateTime as ISO 8601 text with "+00:00". */
const sqliteDate = (d: Date) => d.toISOString().replace("Z", "+00:00");
const parseDate = (v: unknown) => (typeof v === "string" || typeof v === "number" ? new Date(v) : null);

/** Reads one request, or null, from the SQLite file (Jetway may be writing: WAL, with a busy timeout). */
export function readAccessRequest(dbFile: string, id: string): GrantRow | null {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true, timeout: 5_000 });
  try {
    const row = db
      .prepare(
        `SELECT "id", "state", "breakGlass", "durationSeconds", "activatedAt", "expiresAt", "reviewedAt" FROM "AccessRequest" WHERE "id" = ?`,
      )
      .get(id) as Record<string, unknown> | undefined;
    if (!row) return null;
    return {
      id: String(row.id),
      state: String(row.state),
      breakGlass: row.breakGlass === 1 || row.breakGlass === true,
      durationSeconds: Number(row.durationSeconds),
      activatedAt: parseDate(row.activatedAt),
      expiresAt: parseDate(row.expiresAt),
      reviewedAt: parseDate(row.reviewedAt),
    };
  } finally {
    db.close();
  }
}

/**
 * Moves an active grant's window into the past (it ran `durationSeconds` and ended a minute ago), as
 * if its time had run out: the spec's stand-in for waiting, with no clock override in Jetway.
 */
export function endGrantInThePast(dbFile: string, id: string): void {
  const db = new Database(dbFile, { fileMustExist: true, timeout: 5_000 });
  try {
    const row = db.prepare(`SELECT "durationSeconds" FROM "AccessRequest" WHERE "id" = ?`).get(id) as
      { durationSeconds: number } | undefined;
    if (!row) throw new Error(`no AccessRequest ${id} in ${dbFile}`);
    const end = new Date(Date.now() - 60_000);
    const start = new Date(end.getTime() - row.durationSeconds * 1000);
    const changed = db
      .prepare(`UPDATE "AccessRequest" SET "activatedAt" = ?, "expiresAt" = ? WHERE "id" = ? AND "state" = 'active'`)
      .run(sqliteDate(start), sqliteDate(end), id).changes;
    if (changed !== 1) throw new Error(`AccessRequest ${id} is not active`);
  } finally {
    db.close();
  }
}
