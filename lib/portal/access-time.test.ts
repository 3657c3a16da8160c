import { describe, expect, it } from "vitest";
import {
  breakGlassDuration,
  defaultDuration,
  durationChoices,
  formatTimeLeft,
  grantEndsSoon,
  secondsUntil,
} from "./access-time";

describe("formatTimeLeft", () => {
  it("speaks in minutes and hours, and says when less than a minute is left", () => {
    expect(formatTimeLeft(42 * 60)).toBe("42 min");
    expect(formatTimeLeft(3_900)).toBe("1 h 5 min");
    expect(formatTimeLeft(59)).toBe("less than a minute");
    expect(formatTimeLeft(0)).toBe("less than a minute");
  });
});

describe("secondsUntil", () => {
  it("counts down to the end and stops at 0", () => {
    const now = Date.parse("2026-11-30T10:00:00Z");
    expect(secondsUntil("2026-11-30T10:42:00Z", now)).toBe(2_520);
    expect(secondsUntil("2026-11-30T09:00:00Z", now)).toBe(0);
  });
});

describe("grantEndsSoon", () => {
  it("is true under 15 minutes", () => {
    expect(grantEndsSoon(899)).toBe(true);
    expect(grantEndsSoon(900)).toBe(false);
  });
});

describe("durationChoices", () => {
  it("offers 15-minute steps up to an hour, then coarser ones, up to the maximum", () => {
    expect(durationChoices(3_600)).toEqual([900, 1_800, 2_700, 3_600]);
    expect(durationChoices(4 * 3_600)).toEqual([900, 1_800, 2_700, 3_600, 5_400, 7_200, 10_800, 14_400]);
    expect(durationChoices(43_200).at(-1)).toBe(43_200);
    expect(durationChoices(43_200)).toHaveLength(12);
  });

  it("always ends with the maximum itself, also between two steps", () => {
    expect(durationChoices(4_500)).toEqual([900, 1_800, 2_700, 3_600, 4_500]);
  });

  it("offers at least STS's 15-minute minimum", () => {
    expect(durationChoices(900)).toEqual([900]);
    expect(durationChoices(60)).toEqual([900]);
  });
});

describe("defaultDuration and breakGlassDuration", () => {
  it("start at an hour (or the maximum when shorter) and cap break-glass at an hour", () => {
    expect(defaultDuration(43_200)).toBe(3_600);
    expect(defaultDuration(1_800)).toBe(1_800);
    expect(breakGlassDuration(7_200)).toBe(3_600);
    expect(breakGlassDuration(1_800)).toBe(1_800);
  });
});
