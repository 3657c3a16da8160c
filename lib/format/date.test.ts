import { describe, expect, it } from "vitest";
import { formatDate } from "./date";

describe("formatDate", () => {
  const at = new Date("2026-01-31T14:05:09.123Z");

  it("shows UTC, in ISO order, to the minute unless told otherwise", () => {
    expect(formatDate(at)).toBe("2026-01-31 14:05");
    expect(formatDate(at, "day")).toBe("2026-01-31");
    expect(formatDate(at, "second")).toBe("2026-01-31 14:05:09");
  });

  it("says UTC when asked (where no column header does)", () => {
    expect(formatDate(at, "minute", { utc: true })).toBe("2026-01-31 14:05 UTC");
  });

  it("does not follow the machine's time zone", () => {
    // 23:30 in UTC is already the next day east of it; the page shows the UTC day.
    expect(formatDate(new Date("2026-12-31T23:30:00Z"), "day")).toBe("2026-12-31");
  });
});
