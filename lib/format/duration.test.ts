import { describe, expect, it } from "vitest";
import { formatDuration } from "./duration";

describe("formatDuration", () => {
  it("reads like a person would say it", () => {
    expect(formatDuration(900)).toBe("15 min");
    expect(formatDuration(3600)).toBe("1 h");
    expect(formatDuration(5400)).toBe("1 h 30 min");
    expect(formatDuration(43200)).toBe("12 h");
  });

  it("rounds to the minute before splitting into hours, so an hour never reads as 60 min", () => {
    expect(formatDuration(3599)).toBe("1 h");
    expect(formatDuration(7170)).toBe("2 h");
    expect(formatDuration(3629)).toBe("1 h");
    expect(formatDuration(3630)).toBe("1 h 1 min");
    expect(formatDuration(89)).toBe("1 min");
  });

  it("says 0 min for less than half a minute", () => {
    expect(formatDuration(0)).toBe("0 min");
    expect(formatDuration(29)).toBe("0 min");
  });
});
