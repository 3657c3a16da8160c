import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { setCookieValue } from "@/test/support/browser-cookies";
import { refusal } from "@/test/support/refusal";
import { seedConnection, seedSession, seedUser } from "@/test/support/session-rows";
import { createTestSqlite } from "@/test/support/sqlite";
import { confirmSwitch } from "./confirm-switch";
import { switchSetCookie } from "./session-cookies";
import { forgetCachedSessions, PENDING_SWITCH_MS, readSession } from "./session-store";

const baseUrl = "https://jetway.example.com";
let env: Awaited<ReturnType<typeof createTestSqlite>>;
let db: Db;
let alice: { id: string; connectionId: string };
let bob: { id: string; connectionId: string };

/** The switch cookie the ACS set for a pending sign-in (lib/saml/acs/acs-response.ts). */
const switchCookie = (token: string, target = "/") =>
  setCookieValue(switchSetCookie(token, target, true, PENDING_SWITCH_MS / 1000));

beforeAll(async () => {
  env = await createTestSqlite();
  db = env.db;
  await seedConnection(db, "corp");
  alice = await seedUser(db, "corp", "alice@corp.com");
  bob = await seedUser(db, "corp", "bob@corp.com");
});
afterAll(async () => env.cleanup());
beforeEach(() => forgetCachedSessions());

/** Bob is signed in; an IdP-initiated sign-in of Alice waits for this browser's answer. */
async function waitingSwitch(options: { issuedAgoMs?: number } = {}) {
  const current = await seedSession(db, bob);
  const pending = await seedSession(db, alice, {
    active: false,
    now: new Date(Date.now() - (options.issuedAgoMs ?? 0)),
  });
  return { current, pending };
}

describe("confirmSwitch", () => {
  it("continue: activates the waiting session, revokes the current one and restores the target", async () => {
    const { current, pending } = await waitingSwitch();
    const result = await confirmSwitch(db, {
      decision: "continue",
      switchCookie: switchCookie(pending.token, "/go/prod/Admin"),
      sessionToken: current.token,
      baseUrl,
    });
    expect(result).toMatchObject({ session: { token: pending.token }, target: "/go/prod/Admin" });
    expect((await readSession(db, pending.token))?.user.id).toBe(alice.id);
    expect(await readSession(db, current.token)).toBeNull();
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { type: "session.switch", result: "success", userId: alice.id },
    });
    expect(JSON.parse(audit.details!)).toEqual({ from: { userId: bob.id, idp: "corp" } });
  });

  it("continue without a current session (it ended meanwhile) still switches", async () => {
    const { pending } = await waitingSwitch();
    const result = await confirmSwitch(db, {
      decision: "continue",
      switchCookie: switchCookie(pending.token),
      sessionToken: undefined,
      baseUrl,
    });
    expect(result.session?.token).toBe(pending.token);
    expect(await readSession(db, pending.token)).not.toBeNull();
  });

  it("stay: revokes the waiting session, keeps the current one, and writes session.switch_declined", async () => {
    const { current, pending } = await waitingSwitch();
    expect(
      await confirmSwitch(db, {
        decision: "stay",
        switchCookie: switchCookie(pending.token),
        sessionToken: current.token,
        baseUrl,
      }),
    ).toEqual({ target: "/" });
    expect((await db.session.findUniqueOrThrow({ where: { id: pending.id } })).revokedReason).toBe(
      "declined at the switch-user question",
    );
    expect(await readSession(db, current.token)).not.toBeNull();
    expect(
      await db.auditEvent.findFirst({ where: { type: "session.switch_declined", userId: alice.id } }),
    ).not.toBeNull();
  });

  it("refuses (400, session.switch_expired, audited) without a switch cookie or with an unknown one", async () => {
    for (const cookie of [undefined, "", "garbage", switchCookie("A".repeat(43))]) {
      const error = await refusal(confirmSwitch(db, { decision: "continue", switchCookie: cookie, baseUrl }));
      expect(error).toMatchObject({ code: "session.switch_expired", status: 400 });
      const audit = await db.auditEvent.findFirstOrThrow({ where: { referenceId: error.referenceId } });
      expect(audit).toMatchObject({ type: "session.switch", result: "failure" });
      expect(audit.reason).toMatch(/^session\.switch_expired: /);
    }
  });

  it("refuses a waiting session older than PENDING_SWITCH_MS, keeping the current one", async () => {
    const { current, pending } = await waitingSwitch({ issuedAgoMs: PENDING_SWITCH_MS + 1000 });
    const error = await refusal(
      confirmSwitch(db, {
        decision: "continue",
        switchCookie: switchCookie(pending.token),
        sessionToken: current.token,
        baseUrl,
      }),
    );
    expect(error).toMatchObject({ code: "session.switch_expired", status: 400 });
    expect(await readSession(db, pending.token)).toBeNull();
    expect(await readSession(db, current.token)).not.toBeNull();
  });

  it("attack: a switch cookie naming an already active session (or one answered before) activates nothing and ends nothing", async () => {
    const { current, pending } = await waitingSwitch();
    const active = await seedSession(db, alice);
    const error = await refusal(
      confirmSwitch(db, {
        decision: "continue",
        switchCookie: switchCookie(active.token),
        sessionToken: current.token,
        baseUrl,
      }),
    );
    expect(error.code).toBe("session.switch_expired");
    expect(await readSession(db, current.token)).not.toBeNull();
    await confirmSwitch(db, {
      decision: "continue",
      switchCookie: switchCookie(pending.token),
      sessionToken: current.token,
      baseUrl,
    });
    expect(
      (await refusal(confirmSwitch(db, { decision: "continue", switchCookie: switchCookie(pending.token), baseUrl })))
        .code,
    ).toBe("session.switch_expired");
  });

  it("attack: an off-site target in the switch cookie is not followed", async () => {
    for (const target of ["https://evil.example/", "//evil.example/x", "/.//evil.example"]) {
      const { current, pending } = await waitingSwitch();
      const result = await confirmSwitch(db, {
        decision: "continue",
        switchCookie: switchCookie(pending.token, target),
        sessionToken: current.token,
        baseUrl,
      });
      expect(result.target).toBe("/");
    }
  });
});
