import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { type AssumeRoleWithSamlInput, assumeRoleWithSaml } from "./assume-role-with-saml";
import { closedPort, type Handler, startLocalServer } from "@/test/support/local-server";

const fixture = (name: string) => readFileSync(path.join(__dirname, "fixtures", name), "utf8");
const SUCCESS = fixture("sts-assume-role-with-saml-response.xml");
const ERROR = fixture("sts-error-response.xml");

// A distinctive assertion, so we can prove it never leaks into errors.
const ASSERTION = Buffer.from(`<samlp:Response>${"SECRET-ASSERTION-".repeat(20)}</samlp:Response>`).toString("base64");

function ok(requestId = "c6104cbe-af31-11e0-8154-cbc7ccf896c7"): Handler {
  return (_req, res) => {
    res.writeHead(200, { "content-type": "text/xml", "x-amzn-RequestId": requestId }).end(SUCCESS);
  };
}

function stsError(status: number, code: string, message: string, type = "Sender"): Handler {
  return (_req, res) => {
    const body = ERROR.replace("{{TYPE}}", type)
      .replace("{{CODE}}", code)
      .replace("{{MESSAGE}}", message)
      .replace("{{REQUEST_ID}}", "err-req-1");
    res.writeHead(status, { "content-type": "text/xml", "x-amzn-RequestId": "err-req-1" }).end(body);
  };
}

let server: Awaited<ReturnType<typeof startLocalServer>>;

beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

function input(overrides: Partial<AssumeRoleWithSamlInput> = {}): AssumeRoleWithSamlInput {
  return {
    roleArn: "arn:aws:iam::111111111111:role/Admin",
    principalArn: "arn:aws:iam::111111111111:saml-provider/Jetway",
    samlAssertionB64: ASSERTION,
    durationSeconds: 3600,
    endpoint: server.url,
    region: "eu-west-1",
    maxAttempts: 1,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    // Never the assertion (nor its decoded text) in what is logged or shown.
    for (const text of [e.message, e.userMessage]) {
      expect(text).not.toContain(ASSERTION.slice(0, 40));
      expect(text).not.toContain("SECRET-ASSERTION");
    }
    return e;
  }
  throw new Error("expected a failure");
}

describe("assumeRoleWithSaml", () => {
  it("returns the credentials, the assumed role and the source identity", async () => {
    server.respond(ok());
    const result = await assumeRoleWithSaml(input());
    expect(result).toEqual({
      credentials: {
        accessKeyId: "ASIAV3ZUEFP6EXAMPLE",
        secretAccessKey: "8P+SQvWIuLnKhh8d++jpw0nNmQRBZvNEXAMPLEKEY",
        sessionToken: "IQoJb3JpZ2luX2VjEOz////////////EXAMPLETOKEN",
        expiration: new Date("2031-05-04T12:20:30Z"),
      },
      assumedRoleArn: "arn:aws:sts::111111111111:assumed-role/Admin/jane@example.com",
      sourceIdentity: "jane@example.com",
      requestId: "c6104cbe-af31-11e0-8154-cbc7ccf896c7",
    });
  });

  it("sends an unsigned Query API request with the SAML assertion", async () => {
    server.respond(ok());
    await assumeRoleWithSaml(input({ durationSeconds: 7200 }));
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    expect(req.headers.authorization).toBeUndefined();
    expect(req.headers["x-amz-security-token"]).toBeUndefined();
    expect(req.headers["x-amz-date"]).toBeUndefined();
    const form = new URLSearchParams(req.body);
    expect(Object.fromEntries(form)).toEqual({
      Action: "AssumeRoleWithSAML",
      Version: "2011-06-15",
      RoleArn: "arn:aws:iam::111111111111:role/Admin",
      PrincipalArn: "arn:aws:iam::111111111111:saml-provider/Jetway",
      SAMLAssertion: ASSERTION,
      DurationSeconds: "7200",
    });
  });

  it("never signs with, or looks for, credentials from the host", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: "AKIAHOSTCREDENTIAL00",
      AWS_SECRET_ACCESS_KEY: "host-secret",
      AWS_SESSION_TOKEN: "host-token",
      AWS_PROFILE: "does-not-exist",
      // Were the SDK to try instance/container metadata, it would land here and be recorded.
      AWS_EC2_METADATA_SERVICE_ENDPOINT: server.url,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/container-credentials`,
    });
    try {
      server.respond(ok());
      // A fresh client configuration (different timeouts) so it is built with this environment.
      await assumeRoleWithSaml(input({ requestTimeoutMs: 9_999 }));
      expect(server.requests.map((r) => r.url.pathname)).toEqual(["/"]);
      expect(server.requests[0]!.headers.authorization).toBeUndefined();
      expect(server.requests[0]!.headers["x-amz-security-token"]).toBeUndefined();
    } finally {
      process.env = saved;
    }
  });

  it.each([
    [
      403,
      "IDPRejectedClaim",
      "Not authorized",
      "sts.idp_rejected_claim",
      403,
      /trust policy does not trust Jetway's SAML provider "Jetway" in account 111111111111/,
    ],
    [
      400,
      "InvalidIdentityToken",
      "Response signature invalid",
      "sts.invalid_identity_token",
      502,
      /Response signature invalid.*outdated Jetway metadata/,
    ],
    [400, "ExpiredTokenException", "Token is expired", "sts.expired_token", 502, /clock/],
    [400, "MalformedPolicyDocument", "malformed", "sts.malformed_policy", 502, /malformed/],
    [
      400,
      "PackedPolicyTooLarge",
      "Packed size 112% of limit",
      "sts.packed_policy_too_large",
      502,
      /session tags are too large/,
    ],
    [
      403,
      "RegionDisabledException",
      "STS is not activated in this region",
      "sts.region_disabled",
      403,
      /not activated in region eu-west-1 in account 111111111111/,
    ],
    [
      403,
      "AccessDenied",
      "Not authorized to perform sts:AssumeRoleWithSAML",
      "sts.access_denied",
      403,
      /role may not exist/,
    ],
    [
      400,
      "ValidationError",
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
      "sts.duration_exceeds_role_max",
      400,
      /\(12 h\) is longer than the maximum session duration set on role Admin/,
    ],
    [
      400,
      "ValidationError",
      "1 validation error detected: Value at 'roleArn' failed",
      "sts.validation_error",
      400,
      /check the role and SAML provider ARNs/,
    ],
  ])("maps %i %s to a clear AppError", async (status, code, message, appCode, appStatus, userText) => {
    server.respond(stsError(status, code, message));
    const err = await failure(assumeRoleWithSaml(input({ durationSeconds: 43200 })));
    expect(err.code).toBe(appCode);
    expect(err.status).toBe(appStatus);
    expect(err.userMessage).toMatch(userText);
    expect(err.message).toContain(message.slice(0, 20));
    expect(err.message).toContain("err-req-1");
  });

  it("names sts:TagSession and sts:SetSourceIdentity when AccessDenied and they were used", async () => {
    server.respond(stsError(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML"));
    const err = await failure(assumeRoleWithSaml(input({ sentTags: true, sentSourceIdentity: true })));
    expect(err.userMessage).toContain("sts:TagSession");
    expect(err.userMessage).toContain("sts:SetSourceIdentity");
  });

  it("retries throttling with backoff, then succeeds", async () => {
    server.respond(stsError(400, "Throttling", "Rate exceeded"), stsError(400, "Throttling", "Rate exceeded"), ok());
    const result = await assumeRoleWithSaml(input({ maxAttempts: 3 }));
    expect(result.assumedRoleArn).toContain("assumed-role/Admin");
    expect(server.requests).toHaveLength(3);
    expect(server.requests.map((r) => r.headers["amz-sdk-request"])).toEqual([
      "attempt=1; max=3",
      "attempt=2; max=3",
      "attempt=3; max=3",
    ]);
  });

  it("gives up after maxAttempts of throttling with a 503", async () => {
    server.respond(stsError(400, "Throttling", "Rate exceeded"));
    const err = await failure(assumeRoleWithSaml(input({ maxAttempts: 2 })));
    expect(server.requests).toHaveLength(2);
    expect(err.code).toBe("sts.throttled");
    expect(err.status).toBe(503);
  });

  it("retries a 500 from STS", async () => {
    server.respond(stsError(500, "InternalFailure", "oops", "Receiver"), ok());
    await assumeRoleWithSaml(input({ maxAttempts: 2 }));
    expect(server.requests).toHaveLength(2);
  });

  it("reports an unreachable endpoint as 502 without the assertion", async () => {
    const port = await closedPort();
    const err = await failure(assumeRoleWithSaml(input({ endpoint: `http://127.0.0.1:${port}` })));
    expect(err.code).toBe("sts.unreachable");
    expect(err.status).toBe(502);
    expect(err.userMessage).toContain(`could not reach AWS STS at 127.0.0.1:${port}`);
  });

  it("reports a hung endpoint as unreachable after the request timeout", async () => {
    server.respond(() => {
      /* never answers */
    });
    const started = Date.now();
    const err = await failure(assumeRoleWithSaml(input({ requestTimeoutMs: 300 })));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err.code).toBe("sts.unreachable");
  });

  it("refuses a response without credentials", async () => {
    server.respond((_req, res) => {
      res
        .writeHead(200, { "content-type": "text/xml" })
        .end(SUCCESS.replace(/<Credentials>[\s\S]*<\/Credentials>/, ""));
    });
    const err = await failure(assumeRoleWithSaml(input()));
    expect(err.code).toBe("sts.bad_response");
  });
});
