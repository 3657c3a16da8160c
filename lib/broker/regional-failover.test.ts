import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSession, readSession } from "@/lib/auth/session-store";
import { forgetRoleMaxDurations } from "@/lib/aws/duration";
import { EndpointBreakers } from "@/lib/aws/endpoint-breakers";
import { getAwsIdpMetadata } from "@/lib/aws/jetway-aws-idp";
import { cliErrorCode } from "@/lib/cli/cli-responses";
import { issueCliCredentials } from "@/lib/cli/issue-cli-credentials";
import type { AppError } from "@/lib/errors";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { refusal } from "@/test/support/refusal";
import { createTestSqlite } from "@/test/support/sqlite";
import { openConsole, type ConsoleSignInContext, type ConsoleSignInRequest } from "./open-console";

// Issue 13, part 2: an account with regions [eu-west-1, eu-central-1], the unmodified AWS SDK
// against one sandbox standing for both regions (JETWAY_STS_ENDPOINT=…/{region}), with region A
// told to fail (503, refuse, hang). Each test gets fresh circuit breakers on a clock of its own.

const secret = "regional-failover-test-secret-0123456789abcd";
const baseUrl = "https://jetway.example.com";
const PROVIDER = "arn:aws:iam::111111111111:saml-provider/Jetway";
const ROLE = (name: string) => `arn:aws:iam::111111111111:role/${name}`;
const A = "eu-west-1";
const B = "eu-central-1";
const samlEndpoint = (region: string) => `https://${region}.signin.aws.amazon.com/saml`;
/** Long enough for region B's answer on a busy machine; the bounds below are the issue's (timeout + 1 s). */
const TIMEOUT_MS = 1000;

let env: Awaited<ReturnType<typeof createTestSqlite>>;
let sandbox: RunningSandbox;
let clock: number;
let breakers: EndpointBreakers;
let ctx: ConsoleSignInContext;

const alice = (over: Partial<ConsoleSignInRequest> = {}): ConsoleSignInRequest => ({
  account: "multi",
  role: "Admin",
  user: { id: "user-alice", nameId: "alice@example.com", email: "alice@example.com", groups: ["aws-multi-admins"] },
  connectionId: "corp",
  sessionExpiresAt: new Date(Date.now() + 24 * 3600 * 1000),
  ...over,
});

const calls = (action: string) => sandbox.state.calls.filter((c) => c.action === action);
const timed = async <T>(promise: Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = performance.now();
  const value = await promise;
  return { value, ms: performance.now() - started };
};
const lastAudit = async () =>
  JSON.parse(
    (await env.db.auditEvent.findFirstOrThrow({ where: { type: "console.signin" }, orderBy: { at: "desc" } }))
      .details ?? "{}",
  ) as Record<string, unknown>;

beforeAll(async () => {
  env = await createTestSqlite();
  await env.db.idpConnection.create({ data: { id: "corp", name: "Corp", entityId: "https://idp.example.com" } });
  await env.db.awsAccount.create({
    data: { id: "111111111111", alias: "multi", samlProviderArn: PROVIDER, regions: JSON.stringify([A, B]) },
  });
  await env.db.roleMapping.createMany({
    data: [
      { group: "aws-multi-admins", roleArn: ROLE("Admin"), accountId: "111111111111", sessionDuration: 3600 },
      { group: "aws-multi-untrusted", roleArn: ROLE("Untrusted"), accountId: "111111111111" },
    ],
  });
  const metadataXml = await getAwsIdpMetadata(env.db, baseUrl, { secret });
  sandbox = await startSandbox(
    {
      samlProviders: [
        { arn: PROVIDER, metadataXml },
        { arn: "arn:aws:iam::111111111111:saml-provider/Other", metadataXml },
      ],
      roles: [
        {
          arn: ROLE("Admin"),
          trustedProviders: [PROVIDER],
          // The trust policy allows each regional audience the account uses (README, "Regional failover").
          samlAud: [samlEndpoint(A), samlEndpoint(B)],
          allowSetSourceIdentity: true,
        },
        {
          arn: ROLE("Untrusted"),
          trustedProviders: ["arn:aws:iam::111111111111:saml-provider/Other"],
          allowSetSourceIdentity: true,
        },
      ],
    },
    { port: 0 },
  );
});
afterAll(async () => {
  await sandbox?.close();
  await env?.cleanup();
});
beforeEach(() => {
  forgetRoleMaxDurations();
  sandbox.state.calls.length = 0;
  clock = Date.now();
  breakers = new EndpointBreakers(() => clock);
  ctx = {
    baseUrl,
    secret,
    stsEndpoint: `${sandbox.url}/{region}`,
    signinEndpoint: `${sandbox.url}/{region}/federation`,
    failover: { timeoutMs: TIMEOUT_MS, breaker: { failureThreshold: 2, cooldownMs: 30_000 } },
    breakers,
  };
});
afterEach(() => {
  for (const region of [A, B]) sandbox.setRegionFault(region, "none");
});

describe("healthy regions", () => {
  it("signs in through the first region: its STS, its SAML endpoint as Destination and Recipient, its federation endpoint", async () => {
    const signIn = await openConsole(env.db, alice(), ctx);
    expect(signIn.loginUrl.startsWith(`${sandbox.url}/${A}/federation?Action=login&`)).toBe(true);
    expect(calls("AssumeRoleWithSAML")).toMatchObject([{ region: A, outcome: "ok", recipient: samlEndpoint(A) }]);
    expect(calls("federation:getSigninToken")).toMatchObject([{ region: A, outcome: "ok" }]);
    expect(await lastAudit()).toMatchObject({ region: A, signinRegion: A });
    expect(await lastAudit()).not.toHaveProperty("failover");
  });
});

describe("region A failing", () => {
  it.each([
    ["503", "sts.service_error"],
    ["refuse", "sts.unreachable"],
  ] as const)("%s: the console opens through region B, with an assertion minted for B", async (mode, reason) => {
    sandbox.setRegionFault(A, mode);
    const signIn = await openConsole(env.db, alice(), ctx);
    expect(signIn.loginUrl.startsWith(`${sandbox.url}/${B}/federation?Action=login&`)).toBe(true);
    expect(calls("fault").every((c) => c.region === A)).toBe(true);
    expect(calls("AssumeRoleWithSAML")).toMatchObject([{ region: B, outcome: "ok", recipient: samlEndpoint(B) }]);
    expect(calls("federation:getSigninToken")).toMatchObject([{ region: B, outcome: "ok" }]);
    expect(await lastAudit()).toMatchObject({
      region: B,
      signinRegion: B,
      failover: [{ region: A, outcome: "failed", reason }],
    });
  });

  it("hang: region B answers within the timeout plus a second", async () => {
    sandbox.setRegionFault(A, "hang");
    const { value, ms } = await timed(openConsole(env.db, alice(), ctx));
    expect(value.loginUrl).toContain(`/${B}/federation?`);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(TIMEOUT_MS + 1000);
    expect(await lastAudit()).toMatchObject({
      region: B,
      failover: [{ region: A, outcome: "failed", reason: `timed out after ${TIMEOUT_MS} ms` }],
    });
  });

  it("after K failures the breaker opens: the next sign-ins skip region A without waiting, until the cool-down", async () => {
    sandbox.setRegionFault(A, "hang");
    await openConsole(env.db, alice(), ctx);
    await openConsole(env.db, alice(), ctx);
    expect(breakers.health().find((h) => h.kind === "sts" && h.region === A)).toMatchObject({
      state: "open",
      consecutiveFailures: 2,
      lastFailure: `timed out after ${TIMEOUT_MS} ms`,
    });
    const faultsBefore = calls("fault").length;
    const { value, ms } = await timed(openConsole(env.db, alice(), ctx));
    expect(value.loginUrl).toContain(`/${B}/federation?`);
    expect(ms).toBeLessThan(TIMEOUT_MS / 2);
    expect(calls("fault")).toHaveLength(faultsBefore); // region A was not called at all
    expect(await lastAudit()).toMatchObject({
      region: B,
      failover: [{ region: A, outcome: "skipped", reason: expect.stringMatching(/^circuit open until /) as string }],
    });

    // Cool-down over and region A healed: one trial call goes to A, and its success closes the breaker.
    sandbox.setRegionFault(A, "none");
    clock += 30_000;
    expect(breakers.health().find((h) => h.kind === "sts" && h.region === A)?.state).toBe("half-open");
    const healed = await openConsole(env.db, alice(), ctx);
    expect(healed.loginUrl).toContain(`/${A}/federation?`);
    expect(breakers.health().find((h) => h.kind === "sts" && h.region === A)).toMatchObject({
      state: "closed",
      consecutiveFailures: 0,
    });
  });

  it("only region A's sign-in endpoint down: STS in A, the console session through B's federation endpoint", async () => {
    sandbox.setRegionFault(A, "503", "signin");
    const signIn = await openConsole(env.db, alice(), ctx);
    expect(calls("AssumeRoleWithSAML")).toMatchObject([{ region: A, outcome: "ok", recipient: samlEndpoint(A) }]);
    expect(signIn.loginUrl.startsWith(`${sandbox.url}/${B}/federation?Action=login&`)).toBe(true);
    expect(await lastAudit()).toMatchObject({
      region: A,
      signinRegion: B,
      signinFailover: [{ region: A, outcome: "failed", reason: "federation.unreachable" }],
    });
  });
});

describe("what does not fail over", () => {
  it("a refusal (AccessDenied) is AWS's answer: region B is not asked, and A's breaker counts it as up", async () => {
    const error = await refusal(
      openConsole(
        env.db,
        alice({ role: "Untrusted", user: { ...alice().user, groups: ["aws-multi-untrusted"] } }),
        ctx,
      ),
    );
    expect(error.code).toBe("sts.access_denied");
    expect(calls("AssumeRoleWithSAML")).toMatchObject([{ region: A, outcome: "AccessDenied" }]);
    expect(breakers.health().find((h) => h.region === A)).toMatchObject({ state: "closed", consecutiveFailures: 0 });
  });

  it("every region down: 503 naming the regions, and the same code for the CLI (aws_unavailable)", async () => {
    sandbox.setRegionFault(A, "503");
    sandbox.setRegionFault(B, "refuse");
    const error: AppError = await refusal(openConsole(env.db, alice(), ctx));
    expect(error).toMatchObject({ code: "sts.unavailable", status: 503 });
    expect(error.userMessage).toContain(`${A} or ${B}`);
    expect(error.message).toMatch(/eu-west-1 \(sts\.service_error\), eu-central-1 \(sts\.unreachable\)/);
    expect(cliErrorCode(error)).toBe("aws_unavailable");
  });
});

describe("the CLI's credentials fail over the same way (one code path)", () => {
  it("region A hanging: credentials from region B", async () => {
    const user = await env.db.user.create({
      data: { connectionId: "corp", nameId: "cli-alice@example.com", email: "alice@example.com" },
    });
    const { token } = await createSession(env.db, {
      userId: user.id,
      connectionId: "corp",
      groups: ["aws-multi-admins"],
      tags: [],
      transitiveTagKeys: [],
      expiresAt: new Date(Date.now() + 8 * 3600 * 1000),
      active: true,
      kind: "cli",
      client: { hostname: "build-42", osUser: "alice", version: "1.0.0" },
    });
    const session = await readSession(env.db, token, new Date(), "cli");
    if (!session) throw new Error("CLI session not live");
    sandbox.setRegionFault(A, "hang");
    const { value, ms } = await timed(
      issueCliCredentials(
        env.db,
        {
          session,
          body: { account: "multi", role: "Admin" },
          ip: "203.0.113.9",
          userAgent: "jetway-cli",
          limitPerMinute: 0,
        },
        ctx,
      ),
    );
    expect(value.credentials.AccessKeyId).toMatch(/^ASIA/);
    expect(ms).toBeLessThan(TIMEOUT_MS + 1000);
    expect(calls("AssumeRoleWithSAML")).toMatchObject([{ region: B, outcome: "ok", recipient: samlEndpoint(B) }]);
    const audit = await env.db.auditEvent.findFirstOrThrow({
      where: { type: "cli.credentials" },
      orderBy: { at: "desc" },
    });
    expect(JSON.parse(audit.details ?? "{}")).toMatchObject({
      region: B,
      failover: [{ region: A, outcome: "failed" }],
    });
  });
});
