import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { classifyStsError, mapStsError, safeStsMessage } from "./sts-errors";

const ctx = {
  roleArn: "arn:aws:iam::111111111111:role/ops/Admin",
  principalArn: "arn:aws:iam::111111111111:saml-provider/Jetway",
  durationSeconds: 28800,
  region: "eu-west-1",
  endpoint: "https://sts.eu-west-1.amazonaws.com",
};

function sdkError(name: string, message: string, status?: number, code?: string) {
  return Object.assign(new Error(message), {
    name,
    ...(code ? { Code: code } : {}),
    $metadata: { httpStatusCode: status, requestId: "req-9" },
  });
}

describe("classifyStsError", () => {
  it.each([
    [sdkError("IDPRejectedClaimException", "x", 403, "IDPRejectedClaim"), "IDPRejectedClaim"],
    [sdkError("InvalidIdentityTokenException", "x", 400), "InvalidIdentityToken"],
    [sdkError("ExpiredTokenException", "x", 400, "ExpiredTokenException"), "ExpiredToken"],
    [sdkError("MalformedPolicyDocumentException", "x", 400), "MalformedPolicyDocument"],
    [sdkError("PackedPolicyTooLargeException", "x", 400), "PackedPolicyTooLarge"],
    [sdkError("RegionDisabledException", "x", 403), "RegionDisabled"],
    [sdkError("AccessDenied", "x", 403, "AccessDenied"), "AccessDenied"],
    [
      sdkError(
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        400,
      ),
      "DurationExceedsRoleMax",
    ],
    [sdkError("ValidationError", "Value at 'roleArn' failed", 400), "ValidationError"],
    [sdkError("Throttling", "Rate exceeded", 400), "Throttling"],
    [sdkError("ThrottlingException", "Rate exceeded", 400), "Throttling"],
    [sdkError("TooManyRequestsException", "x", 400), "Throttling"],
    // HTTP 429 (Too Many Requests) is throttling whatever the code says.
    [sdkError("SomethingNew", "Slow down", 429), "Throttling"],
    [sdkError("InternalFailure", "x", 500), "ServiceError"],
    [sdkError("SomethingNew", "x", 503), "ServiceError"],
    [Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), "Network"],
    [Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" }), "Network"],
    [Object.assign(new Error("timed out"), { name: "TimeoutError" }), "Network"],
    [sdkError("SomethingNew", "x", 418), "Unknown"],
    [undefined, "Unknown"],
  ])("classifies %#", (err, kind) => {
    expect(classifyStsError(err)).toBe(kind);
  });
});

describe("mapStsError", () => {
  it("explains an untrusted provider with the account and provider", () => {
    const err = mapStsError(sdkError("IDPRejectedClaimException", "Not authorized", 403, "IDPRejectedClaim"), ctx);
    expect(err).toBeInstanceOf(AppError);
    expect(err.status).toBe(403);
    expect(err.userMessage).toBe(
      `AWS refused the sign-in to role Admin in account 111111111111: the role's trust policy does not trust Jetway's SAML provider "Jetway" in account 111111111111, or one of its conditions (such as SAML:aud) does not match. An AWS administrator of account 111111111111 should check the role's trust policy.`,
    );
    expect(err.message).toContain("[request req-9]");
  });

  it("explains a too-long duration in hours", () => {
    const err = mapStsError(
      sdkError(
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        400,
      ),
      ctx,
    );
    expect(err.code).toBe("sts.duration_exceeds_role_max");
    expect(err.status).toBe(400);
    expect(err.userMessage).toContain("(8 h) is longer than the maximum session duration set on role Admin");
  });

  it("asks to try again in a moment when AWS throttles (503), also on a bare 429", () => {
    for (const err of [sdkError("Throttling", "Rate exceeded", 400), sdkError("SomethingNew", "Slow down", 429)]) {
      const mapped = mapStsError(err, ctx);
      expect(mapped.code).toBe("sts.throttled");
      expect(mapped.status).toBe(503);
      expect(mapped.userMessage).toBe(
        "AWS STS is throttling sign-in requests right now. Please wait a moment and try again.",
      );
    }
  });

  it("names the unreachable host", () => {
    const err = mapStsError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), ctx);
    expect(err.code).toBe("sts.unreachable");
    expect(err.status).toBe(502);
    expect(err.userMessage).toContain("sts.eu-west-1.amazonaws.com");
  });

  it("passes an AppError through", () => {
    const original = new AppError("x", { message: "m", userMessage: "u", status: 418 });
    expect(mapStsError(original, ctx)).toBe(original);
  });

  it("keeps assertion-like or credential-like text out of messages", () => {
    const b64 = Buffer.from("<samlp:Response>".repeat(20)).toString("base64");
    const err = mapStsError(sdkError("InvalidIdentityTokenException", `bad ${b64} key ASIAV3ZUEFP6EXAMPLE1`, 400), ctx);
    for (const text of [err.message, err.userMessage]) {
      expect(text).not.toContain(b64.slice(0, 30));
      expect(text).not.toContain("ASIAV3ZUEFP6EXAMPLE1");
    }
    expect(safeStsMessage({ message: "word ".repeat(200) })).toHaveLength(300);
    expect(safeStsMessage({ message: "x".repeat(1000) })).toBe("[redacted]");
  });

  it("survives unparseable ARNs in the context", () => {
    const err = mapStsError(sdkError("AccessDenied", "no", 403, "AccessDenied"), {
      roleArn: "weird",
      principalArn: "odd",
    });
    expect(err.userMessage).toContain("role weird");
  });
});
