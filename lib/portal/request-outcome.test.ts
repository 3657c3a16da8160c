import { describe, expect, it } from "vitest";
import type { AccessRequestView } from "@/lib/access/access-request-view";
import { requestOutcome } from "./request-outcome";

const base: AccessRequestView = {
  id: "r1",
  state: "pending",
  breakGlass: false,
  needsReview: false,
  requester: { userId: "u1", name: "Carol", nameId: "carol", email: null, connectionId: "corp", idpName: "Corp" },
  mappingId: "m1",
  accountId: "111111111111",
  accountAlias: "prod",
  roleName: "Admin",
  roleArn: "arn:aws:iam::111111111111:role/Admin",
  label: null,
  environment: "production",
  environmentColor: "red",
  reason: "incident",
  ticket: null,
  durationSeconds: 3_600,
  createdAt: new Date("2026-11-30T10:00:00Z"),
  activatedAt: null,
  expiresAt: null,
  secondsLeft: null,
  decidedAt: null,
  decidedBy: null,
  decisionComment: null,
  reviewedAt: null,
  reviewedBy: null,
  approvals: [],
  approvalsRequired: 1,
};

describe("requestOutcome", () => {
  it("says what a pending request waits for", () => {
    expect(requestOutcome(base)).toBe("Waiting for an approver");
    expect(
      requestOutcome({
        ...base,
        approvalsRequired: 2,
        approvals: [{ approverName: "Dave", at: new Date(), comment: null }],
      }),
    ).toBe("Waiting for approval (1 of 2 approvals)");
  });

  it("gives an active grant's time left and who ended the others", () => {
    expect(requestOutcome({ ...base, state: "active", secondsLeft: 42 * 60 })).toBe("Access ends in 42 min");
    const decidedAt = new Date("2026-11-30T10:05:00Z");
    expect(requestOutcome({ ...base, state: "denied", decidedBy: "Dave", decidedAt })).toBe(
      "Denied by Dave at 2026-11-30 10:05 UTC",
    );
    expect(requestOutcome({ ...base, state: "revoked", decidedBy: "Erin", decidedAt })).toBe(
      "Revoked by Erin at 2026-11-30 10:05 UTC",
    );
    expect(requestOutcome({ ...base, state: "expired" })).toBe("Expired before anyone decided");
    expect(
      requestOutcome({
        ...base,
        state: "expired",
        activatedAt: decidedAt,
        expiresAt: new Date("2026-11-30T11:05:00Z"),
      }),
    ).toBe("Ended at 2026-11-30 11:05 UTC");
  });
});
