import { describe, expect, it } from "vitest";
import { isBreakGlassEvent, summarizeAuditEvent } from "./summarize-audit-event";

const row = (type: string, details: Record<string, unknown> | null, connectionId: string | null = null) => ({
  type,
  details,
  connectionId,
});

describe("summarizeAuditEvent", () => {
  it("says which role a console sign-in opened", () => {
    expect(summarizeAuditEvent(row("console.signin", { accountAlias: "prod", roleArn: "arn:r" }))).toBe("prod · arn:r");
    // A refusal carries what was typed.
    expect(summarizeAuditEvent(row("console.signin", { account: "prod", role: "Admin" }))).toBe("prod · Admin");
  });

  it("names the mapping or account an admin change was about, after the change or, deleted, before it", () => {
    expect(
      summarizeAuditEvent(row("mapping.update", { before: { group: "a" }, after: { group: "b", roleArn: "arn:r" } })),
    ).toBe("b → arn:r");
    expect(summarizeAuditEvent(row("mapping.delete", { before: { groupPattern: "aws-{role}", roleArn: "x" } }))).toBe(
      "aws-{role} → x",
    );
    expect(summarizeAuditEvent(row("account.delete", { before: { alias: "prod", id: "1" }, after: null }))).toBe(
      "prod (1)",
    );
  });

  it("counts revoked sessions, and names whose", () => {
    expect(summarizeAuditEvent(row("session.revoke", { count: 1, person: "alice" }))).toBe("1 session · alice");
    expect(summarizeAuditEvent(row("session.revoke", { count: 3, idp: "corp" }))).toBe("3 sessions · corp");
  });

  it("says through which IdP and flow a sign-in came, and nothing for other events", () => {
    expect(summarizeAuditEvent(row("saml.login", { flow: "sp-initiated" }, "corp"))).toBe("corp · sp-initiated");
    expect(summarizeAuditEvent(row("key.promote", { keyId: "k" }))).toBe("");
  });

  it("names the role a just-in-time access event is about", () => {
    expect(
      summarizeAuditEvent(
        row("access.approve", { account: { id: "1", alias: "prod" }, roleName: "Admin", roleArn: "arn:r" }),
      ),
    ).toBe("prod · Admin");
    expect(summarizeAuditEvent(row("access.request", { account: { id: "111111111111" }, roleArn: "arn:r" }))).toBe(
      "111111111111 · arn:r",
    );
  });
});

describe("isBreakGlassEvent", () => {
  it("flags the rows whose details say breakGlass: true, and no others", () => {
    expect(isBreakGlassEvent(row("access.break_glass", { breakGlass: true }))).toBe(true);
    expect(isBreakGlassEvent(row("access.revoke", { breakGlass: true }))).toBe(true);
    expect(isBreakGlassEvent(row("access.approve", { breakGlass: false }))).toBe(false);
    expect(isBreakGlassEvent(row("access.request", { breakGlass: "true" }))).toBe(false);
    expect(isBreakGlassEvent(row("console.signin", null))).toBe(false);
  });
});
