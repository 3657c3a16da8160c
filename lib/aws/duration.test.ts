import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import {
  clampDuration,
  forgetRoleMaxDurations,
  rememberedRoleMaxDuration,
  rememberRoleMaxDuration,
  withDurationFallback,
} from "./duration";

const ROLE = "arn:aws:iam::111111111111:role/Admin";

afterEach(() => forgetRoleMaxDurations());

function tooLong() {
  return new AppError("sts.duration_exceeds_role_max", { message: "m", userMessage: "u", status: 400 });
}

describe("clampDuration", () => {
  it("keeps AWS's 900–43200 range", () => {
    expect(clampDuration(3600)).toEqual({ duration: 3600 });
    expect(clampDuration(undefined)).toEqual({ duration: 3600 });
    expect(clampDuration(60)).toEqual({ duration: 900, note: "Session length raised to AWS's minimum of 15 min." });
    expect(clampDuration(100_000)).toEqual({
      duration: 43200,
      note: "Session length shortened to AWS's maximum of 12 h.",
    });
    expect(clampDuration(1000.4)).toEqual({ duration: 1000 });
  });

  it("shortens to the role's known maximum", () => {
    expect(clampDuration(43200, 14400)).toEqual({
      duration: 14400,
      note: "Session length shortened to 4 h, the longest this role allows.",
    });
    expect(clampDuration(1800, 14400)).toEqual({ duration: 1800 });
    expect(clampDuration(100_000, 3600).duration).toBe(3600);
  });
});

describe("remembered role maxima", () => {
  it("remembers for 12 hours", () => {
    rememberRoleMaxDuration(ROLE, 3600, 0);
    expect(rememberedRoleMaxDuration(ROLE, 1000)).toBe(3600);
    expect(rememberedRoleMaxDuration(ROLE, 12 * 3600 * 1000)).toBeUndefined();
    expect(rememberedRoleMaxDuration("arn:aws:iam::111111111111:role/Other", 0)).toBeUndefined();
  });
});

describe("withDurationFallback", () => {
  it("uses the requested duration when STS accepts it", async () => {
    const attempt = vi.fn(async (d: number) => `ok ${d}`);
    await expect(withDurationFallback({ roleArn: ROLE, requested: 28800, attempt })).resolves.toEqual({
      result: "ok 28800",
      duration: 28800,
    });
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it("retries once with 3600 when the role's maximum is lower, and remembers it", async () => {
    const attempt = vi.fn(async (d: number) => {
      if (d > 3600) throw tooLong();
      return `ok ${d}`;
    });
    const first = await withDurationFallback({ roleArn: ROLE, requested: 28800, attempt });
    expect(first).toEqual({
      result: "ok 3600",
      duration: 3600,
      note: "Session length shortened to 1 h: this role does not allow 8 h.",
    });
    expect(attempt.mock.calls.map((c) => c[0])).toEqual([28800, 3600]);

    // The next sign-in goes straight to 3600.
    attempt.mockClear();
    const second = await withDurationFallback({ roleArn: ROLE, requested: 28800, attempt });
    expect(second.duration).toBe(3600);
    expect(second.note).toContain("the longest this role allows");
    expect(attempt.mock.calls.map((c) => c[0])).toEqual([3600]);
  });

  it("recognises the raw SDK ValidationError too", async () => {
    const sdkError = Object.assign(
      new Error("The requested DurationSeconds exceeds the MaxSessionDuration set for this role."),
      {
        name: "ValidationError",
        $metadata: { httpStatusCode: 400 },
      },
    );
    const attempt = vi.fn(async (d: number) => {
      if (d > 3600) throw sdkError;
      return d;
    });
    expect((await withDurationFallback({ roleArn: ROLE, requested: 7200, attempt })).duration).toBe(3600);
  });

  it("does not retry other errors, or when already at 3600 or below", async () => {
    const denied = new AppError("sts.access_denied", { message: "m", userMessage: "u", status: 403 });
    const attempt = vi.fn(async () => {
      throw denied;
    });
    await expect(withDurationFallback({ roleArn: ROLE, requested: 7200, attempt })).rejects.toBe(denied);
    expect(attempt).toHaveBeenCalledTimes(1);

    const short = vi.fn(async () => {
      throw tooLong();
    });
    await expect(withDurationFallback({ roleArn: ROLE, requested: 3600, attempt: short })).rejects.toThrow(AppError);
    expect(short).toHaveBeenCalledTimes(1);
    expect(rememberedRoleMaxDuration(ROLE)).toBeUndefined();
  });

  it("fails with the second error when the retry fails too", async () => {
    const attempt = vi
      .fn<(d: number) => Promise<string>>()
      .mockRejectedValueOnce(tooLong())
      .mockRejectedValueOnce(new Error("network"));
    await expect(withDurationFallback({ roleArn: ROLE, requested: 7200, attempt })).rejects.toThrow("network");
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it("clamps to a learned role maximum", async () => {
    const attempt = vi.fn(async (d: number) => d);
    rememberRoleMaxDuration(ROLE, 3600);
    expect((await withDurationFallback({ roleArn: ROLE, requested: 43200, attempt })).duration).toBe(3600);
  });

  it("tries the requested duration again once the memory expires", async () => {
    rememberRoleMaxDuration(ROLE, 3600, 0);
    const attempt = vi.fn(async (d: number) => d);
    const later = 13 * 3600 * 1000;
    expect((await withDurationFallback({ roleArn: ROLE, requested: 7200, attempt, now: later })).duration).toBe(7200);
  });
});
