import { describe, expect, it } from "vitest";
import { newAuditEventId } from "./event-id";

describe("newAuditEventId", () => {
  it("is a version 7 UUID carrying the time", () => {
    const id = newAuditEventId(Date.UTC(2026, 10, 30, 6, 0, 0, 123));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(Date.UTC(2026, 10, 30, 6, 0, 0, 123));
  });

  it("grows within a millisecond and across them, so (time, id) order is write order", () => {
    const ms = Date.now() + 10_000;
    const ids = [
      ...Array.from({ length: 5000 }, () => newAuditEventId(ms)),
      newAuditEventId(ms + 5),
      newAuditEventId(ms + 6),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
