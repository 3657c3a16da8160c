import type { Browser, BrowserContext, Page } from "@playwright/test";
import {
  ACCESS_USERS,
  DATABASE_ADMIN_ROLE_ARN,
  INCIDENT_ROLE_ARN,
  JETWAY_BASE_URL,
  JETWAY_DB_FILE,
  OPERATOR_ROLE_ARN,
  PROD_ACCOUNT,
  USERS,
  type E2eUser,
} from "./support/constants";
import { endGrantInThePast, readAccessRequest, RequestFormPage, RequestPage } from "./support/access-pages";
import { expect, signInThroughIdp, test } from "./support/fixtures";
import { PortalPage } from "./support/portal-page";
import { sandboxCalls } from "./support/sandbox";
import { SandboxConsolePage } from "./support/sandbox-console-page";

/**
 * Just-in-time access end to end (issue 14), with SimpleSAMLphp users, the production build and the
 * AWS sandbox: jill may request Operator (one approval), DatabaseAdmin (two approvals, a ticket) and
 * IncidentResponder (break-glass) in prod; pat and quinn approve (constants.ts ELIGIBLE_MAPPINGS).
 * jill is in the approver group too, so that "nobody approves their own request" is Jetway's rule
 * and not merely a missing group.
 *
 * Serial: jill has one request per role waiting at most, so each test ends what it started. The
 * revocation across replicas and the signed webhooks are in e2e/access-replicas.spec.ts (a Jetway
 * of their own).
 */

test.describe.configure({ mode: "serial" });

const { jill, pat, quinn } = ACCESS_USERS;

async function signedIn(browser: Browser, user: E2eUser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInThroughIdp(page, user);
  await expect(page).toHaveURL(`${JETWAY_BASE_URL}/`);
  return { context, page };
}

/** From jill's portal tile to a sent request: returns its id. */
async function requestFromTile(
  page: Page,
  roleArn: string,
  fields: { reason: string; durationSeconds?: number; ticket?: string },
  how: "request" | "break-glass" = "request",
): Promise<string> {
  const portal = new PortalPage(page);
  await page.goto("/");
  const tile = portal.tileOf(roleArn);
  await expect(tile).toHaveAttribute("data-access", "eligible");
  await tile.getByTestId("request-access").click();
  const form = new RequestFormPage(page);
  await form.fill(fields);
  return form.send(how);
}

/** An approver's decision on the request's page (the link a requester copies for them). */
async function decide(page: Page, id: string, op: "approve" | "deny", comment?: string): Promise<RequestPage> {
  const request = new RequestPage(page);
  await request.goto(id);
  if (comment) await request.comment.fill(comment);
  await (op === "approve" ? request.approveButton() : request.denyButton()).click();
  await expect(request.notice).toHaveText(op === "approve" ? "Approved." : "Denied.");
  return request;
}

test("request → approve → the tile opens the console until the grant's end → the grant ends and the role is gone", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const requester = await signedIn(browser, jill);
  const approver = await signedIn(browser, pat);
  try {
    const portal = new PortalPage(requester.page);
    // Before: "Request access" instead of "Open console", and /go refuses.
    await expect(portal.tileOf(OPERATOR_ROLE_ARN).getByTestId("request-access")).toBeVisible();
    await expect(portal.openConsoleLink(portal.tileOf(OPERATOR_ROLE_ARN))).toHaveCount(0);
    const before = await requester.page.goto(`/go/${PROD_ACCOUNT.alias}/Operator`);
    expect(before?.status()).toBe(403);
    await expect(requester.page.getByText("needs an approved access request")).toBeVisible();

    const started = Date.now();
    const id = await requestFromTile(requester.page, OPERATOR_ROLE_ARN, {
      reason: "Rotate the payment service's certificates (CHG-1)",
      durationSeconds: 1800,
    });
    const mine = new RequestPage(requester.page);
    await mine.expectState("pending");
    await expect(mine.outcome).toHaveText("Waiting for an approver");
    await expect(requester.page.getByTestId("request-link")).toHaveText(`${JETWAY_BASE_URL}/requests/${id}`);
    // The tile now leads to the waiting request.
    await requester.page.goto("/");
    await expect(portal.tileOf(OPERATOR_ROLE_ARN).getByTestId("pending-request-link")).toBeVisible();

    // pat, from the link: the facts an approver weighs, then Approve.
    const decided = await decide(approver.page, id, "approve", "Go ahead");
    await decided.expectState("active");
    await expect(decided.approvals).toContainText(pat.displayName);

    // jill's tile opens the console, with the time left; the AWS session ends with the grant.
    await requester.page.goto("/");
    const tile = portal.tileOf(OPERATOR_ROLE_ARN);
    await expect(tile.getByTestId("grant-time-left")).toHaveText(/Access ends in (29|30) min/);
    const grant = readAccessRequest(JETWAY_DB_FILE, id);
    expect(grant).toMatchObject({ state: "active", breakGlass: false, durationSeconds: 1800 });
    expect(grant!.expiresAt!.getTime() - grant!.activatedAt!.getTime()).toBe(1800_000);
    await portal.openConsoleLink(tile).click();
    const consolePage = new SandboxConsolePage(requester.page);
    await consolePage.expectOpen();
    await expect(consolePage.assumedRoleArn).toContainText(":assumed-role/Operator/");
    const consoleEnds = Date.parse((await requester.page.getByTestId("credentials-expiration").textContent()) ?? "");
    // The mapping's session is 12 h: the grant's end (at most a minute apart) is what bounds it.
    expect(Math.abs(consoleEnds - grant!.expiresAt!.getTime())).toBeLessThanOrEqual(60_000);
    const assumed = (await sandboxCalls()).filter(
      (c) => c.action === "AssumeRoleWithSAML" && c.roleArn === OPERATOR_ROLE_ARN && c.outcome === "ok",
    );
    const duration = assumed.at(-1)?.durationSeconds ?? 0;
    expect(duration).toBeGreaterThan(1800 - 60 - (Date.now() - started) / 1000);
    expect(duration).toBeLessThanOrEqual(1800);

    // The grant's end moves into the past (the spec's stand-in for half an hour): the tile is a
    // request tile again, /go refuses, and the request reads as ended.
    endGrantInThePast(JETWAY_DB_FILE, id);
    await requester.page.goto("/");
    await expect(portal.tileOf(OPERATOR_ROLE_ARN)).toHaveAttribute("data-access", "eligible");
    await expect(portal.openConsoleLink(portal.tileOf(OPERATOR_ROLE_ARN))).toHaveCount(0);
    await expect(portal.tileOf(OPERATOR_ROLE_ARN).getByTestId("request-access")).toBeVisible();
    const after = await requester.page.goto(`/go/${PROD_ACCOUNT.alias}/Operator`);
    expect(after?.status()).toBe(403);
    await expect(requester.page.getByText("needs an approved access request")).toBeVisible();
    await mine.goto(id);
    await mine.expectState("expired");
  } finally {
    await Promise.all([requester.context.close(), approver.context.close()]);
  }
});

test("deny with a comment: the requester sees the request denied, by whom, with the comment", async ({ browser }) => {
  const requester = await signedIn(browser, jill);
  const approver = await signedIn(browser, pat);
  try {
    const id = await requestFromTile(requester.page, OPERATOR_ROLE_ARN, { reason: "Look at the prod queue depth" });
    const comment = "Use the read-only role for that";
    const decided = await decide(approver.page, id, "deny", comment);
    await decided.expectState("denied");

    const mine = new RequestPage(requester.page);
    await mine.goto(id);
    await mine.expectState("denied");
    await expect(mine.outcome).toContainText(`Denied by ${pat.displayName}`);
    await expect(requester.page.getByText(`“${comment}”`)).toBeVisible();
    // On the portal: My requests says so, and the role is still one to request.
    await requester.page.goto("/");
    const entry = requester.page.locator(`[data-testid="my-request"][data-request-id="${id}"]`);
    await expect(entry.getByTestId("request-state")).toHaveAttribute("data-state", "denied");
    await expect(entry.getByTestId("my-request-outcome")).toContainText(`Denied by ${pat.displayName}`);
    await expect(new PortalPage(requester.page).tileOf(OPERATOR_ROLE_ARN).getByTestId("request-access")).toBeVisible();
    expect(readAccessRequest(JETWAY_DB_FILE, id)).toMatchObject({ state: "denied", activatedAt: null });
  } finally {
    await Promise.all([requester.context.close(), approver.context.close()]);
  }
});

test("two approvals: pat's leaves it pending, pat again is refused, quinn's makes it active", async ({ browser }) => {
  const requester = await signedIn(browser, jill);
  const first = await signedIn(browser, pat);
  const second = await signedIn(browser, quinn);
  try {
    const form = new RequestFormPage(requester.page);
    await requester.page.goto("/");
    await new PortalPage(requester.page).tileOf(DATABASE_ADMIN_ROLE_ARN).getByTestId("request-access").click();
    // The ticket must match the mapping's pattern, whole.
    await form.fill({ reason: "Add the index for INC-9", ticket: "INC-9" });
    await form.submit.click();
    await expect(form.error).toHaveText("Check the highlighted fields.");
    await expect(requester.page.getByText("The ticket reference must match OPS-[0-9]+.")).toBeVisible();
    await form.fill({ ticket: "OPS-77" });
    const id = await form.send();

    // pat opens the request twice (two tabs) and approves in the first.
    const again = await first.context.newPage();
    const stale = new RequestPage(again);
    await stale.goto(id);
    const afterFirst = await decide(first.page, id, "approve");
    await afterFirst.expectState("pending");
    await expect(afterFirst.outcome).toHaveText("Waiting for approval (1 of 2 approvals)");
    // Pat's second click, from the tab that still shows Approve, is refused by Jetway...
    await stale.approveButton().click();
    await expect(stale.actionError).toHaveText(
      "You already approved this request: it needs a second, different approver.",
    );
    // ...and once reloaded, the page offers pat no button, only why.
    await stale.goto(id);
    await expect(stale.approveButton()).toHaveCount(0);
    await expect(stale.whyNot).toHaveText("You approved it already: it needs a second, different approver.");
    await stale.expectState("pending");

    const afterSecond = await decide(second.page, id, "approve");
    await afterSecond.expectState("active");
    await expect(afterSecond.approvals).toContainText("2 of 2");
    await expect(afterSecond.approvals).toContainText(pat.displayName);
    await expect(afterSecond.approvals).toContainText(quinn.displayName);
    expect(readAccessRequest(JETWAY_DB_FILE, id)).toMatchObject({ state: "active" });

    // Done with it: quinn revokes, from the same page.
    await second.page.getByRole("button", { name: /^Revoke grant/ }).click();
    await expect(new RequestPage(second.page).notice).toHaveText(
      "Grant revoked: it ends at the requester's next click.",
    );
    expect(readAccessRequest(JETWAY_DB_FILE, id)).toMatchObject({ state: "revoked" });
  } finally {
    await Promise.all([requester.context.close(), first.context.close(), second.context.close()]);
  }
});

test("break-glass: active at once for at most an hour, needs review in /requests and the admin queue until pat reviews it; the audit flags it", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const requester = await signedIn(browser, jill);
  const approver = await signedIn(browser, pat);
  const admin = await signedIn(browser, USERS.alice);
  try {
    const reason = "INC-4711: payments are down, rolling back now";
    // Two hours asked for; break-glass caps it at one.
    const id = await requestFromTile(
      requester.page,
      INCIDENT_ROLE_ARN,
      { reason, durationSeconds: 7200 },
      "break-glass",
    );
    const mine = new RequestPage(requester.page);
    await expect(mine.notice).toHaveText(
      "Break-glass access is active now. The approvers have been notified and will review it.",
    );
    await mine.expectState("active");
    await expect(mine.breakGlassBadge).toBeVisible();
    await expect(mine.needsReviewBadge).toBeVisible();
    const grant = readAccessRequest(JETWAY_DB_FILE, id);
    expect(grant).toMatchObject({ state: "active", breakGlass: true, durationSeconds: 3600, reviewedAt: null });
    expect(grant!.expiresAt!.getTime() - grant!.activatedAt!.getTime()).toBe(3600_000);

    // The tile opens the console at once.
    const portal = new PortalPage(requester.page);
    await requester.page.goto("/");
    const tile = portal.tileOf(INCIDENT_ROLE_ARN);
    await expect(tile.getByTestId("grant-time-left")).toContainText("Break-glass");
    await portal.openConsoleLink(tile).click();
    await new SandboxConsolePage(requester.page).expectOpen();

    // Needs review: on pat's /requests, and in the admin console's queue.
    await approver.page.goto("/requests");
    const toReview = approver.page.locator(`[data-testid="review-request"][data-request-id="${id}"]`);
    await expect(toReview).toContainText(reason);
    await expect(toReview.getByTestId("needs-review-badge")).toBeVisible();
    await admin.page.goto("/admin/access");
    const queued = admin.page.getByTestId("break-glass-to-review").filter({ hasText: reason });
    await expect(queued).toHaveCount(1);
    await expect(queued.getByTestId("break-glass-outcome")).toContainText("Active");
    await expect(admin.page.getByTestId("active-grant").filter({ hasText: reason })).toHaveCount(1);

    // pat marks it reviewed: gone from both queues, and the request says who reviewed it.
    await toReview.getByRole("button", { name: /^Mark reviewed/ }).click();
    await expect(approver.page.getByTestId("notice")).toHaveText("Marked as reviewed.");
    await expect(toReview).toHaveCount(0);
    await admin.page.reload();
    await expect(admin.page.getByTestId("break-glass-to-review").filter({ hasText: reason })).toHaveCount(0);
    await mine.goto(id);
    await expect(mine.review).toContainText(`Reviewed by ${pat.displayName}`);
    await expect(mine.needsReviewBadge).toHaveCount(0);
    expect(readAccessRequest(JETWAY_DB_FILE, id)?.reviewedAt).not.toBeNull();

    // Flagged in the audit log (a badge) and in its export (details.breakGlass).
    await admin.page.goto("/admin/audit?category=access");
    await expect(admin.page.getByTestId("audit-row").filter({ hasText: "break-glass" }).first()).toBeVisible();
    const exported = await admin.page.request.get("/admin/audit/export?format=json&category=access");
    expect(exported.status()).toBe(200);
    const events = ((await exported.json()) as { events: { type: string; details: Record<string, unknown> }[] }).events;
    const flagged = events.filter((e) => JSON.stringify(e.details).includes(id));
    expect(flagged.map((e) => e.type).sort()).toEqual(
      expect.arrayContaining(["access.activate", "access.break_glass", "access.review"]),
    );
    for (const event of flagged) expect(event.details, event.type).toMatchObject({ breakGlass: true });

    // Done with it: the admin revokes it from the console.
    const row = admin.page.getByTestId("active-grant").filter({ hasText: reason });
    await admin.page.goto("/admin/access");
    await row.getByRole("button", { name: /^Revoke…/ }).click();
    await row.getByRole("button", { name: /^Yes, revoke/ }).click();
    await expect(admin.page.getByTestId("notice")).toContainText("Grant revoked.");
    expect(readAccessRequest(JETWAY_DB_FILE, id)).toMatchObject({ state: "revoked" });
  } finally {
    await Promise.all([requester.context.close(), approver.context.close(), admin.context.close()]);
  }
});

test("nobody approves their own request: no button for jill, and her forged approval is refused", async ({
  browser,
}) => {
  const requester = await signedIn(browser, jill);
  try {
    const id = await requestFromTile(requester.page, OPERATOR_ROLE_ARN, { reason: "Check the deploy role's trust" });
    const mine = new RequestPage(requester.page);
    await mine.expectState("pending");
    // jill approves prod roles (prod-approvers), yet her own request offers her Cancel only.
    await expect(mine.approveButton()).toHaveCount(0);
    await expect(mine.denyButton()).toHaveCount(0);
    const cancel = requester.page.getByRole("button", { name: "Cancel request" });
    await expect(cancel).toBeVisible();
    // Nor in the approvers' queue: listed there, with why she cannot decide it.
    await requester.page.goto("/requests");
    const queued = requester.page.locator(`[data-testid="pending-request"][data-request-id="${id}"]`);
    await expect(queued.getByTestId("why-not")).toHaveText("You asked for this one: another approver must decide it.");
    await expect(queued.getByRole("button")).toHaveCount(0);

    // The forged POST: the Cancel form's own server action, its button turned into "approve".
    await mine.goto(id);
    await expect(cancel).toBeEnabled();
    await cancel.evaluate((button) => ((button as HTMLButtonElement).value = "approve"));
    await cancel.click();
    await expect(mine.actionError).toHaveText("You cannot decide your own request: another approver must.");
    expect(readAccessRequest(JETWAY_DB_FILE, id)).toMatchObject({ state: "pending", activatedAt: null });

    // Cancelled for real, which leaves Operator requestable for the next run of this describe.
    await mine.goto(id);
    await requester.page.getByRole("button", { name: "Cancel request" }).click();
    await expect(mine.notice).toHaveText("Request cancelled.");
    await mine.expectState("cancelled");
  } finally {
    await requester.context.close();
  }
});
