import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSession, forgetCachedSessions, readSession } from "@/lib/auth/session-store";
import type { JetwaySession } from "@/lib/auth/session";
import { forgetRoleMaxDurations } from "@/lib/aws/duration";
import { getAwsIdpMetadata } from "@/lib/aws/jetway-aws-idp";
import type { AssumeContext } from "@/lib/broker/assume-granted-role";
import { listGrantsForSession } from "@/lib/broker/list-grants";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { refusal } from "@/test/support/refusal";
import { createTestSqlite } from "@/test/support/sqlite";
import { cliErrorCode, cliErrorResponse } from "./cli-responses";
import { issueCliCredentials } from "./issue-cli-credentials";
import { listCliRoles } from "./list-cli-roles";

const secret = "cli-credentials-test-secret-0123456789abcdef";
const baseUrl = "https://jetway.example.com";
const PROVIDER = "arn:aws:iam::111111111111:saml-provider/Jetway";
const ROLE = (name: string) => `arn:aws:iam::111111111111:role/${name}`;

let env: Awaited<ReturnType<typeof createTestSqlite>>;
let sandbox: RunningSandbox;
let ctx: AssumeContext;
let userId: string;

const stsCalls = () => sandbox.state.calls.filter((c) => c.action === "AssumeRoleWithSAML");

/** A CLI session (kind "cli") as the device flow creates it, ending `endsIn` seconds from now. */
async function cliSession(
  options: { groups?: string[]; endsIn?: number; tags?: { key: string; value: string }[] } = {},
): Promise<JetwaySession> {
  const { token } = await createSession(env.db, {
    userId,
    connectionId: "corp",
    groups: options.groups ?? ["aws-prod-readonly", "aws-prod-admins"],
    tags: options.tags ?? [],
    transitiveTagKeys: [],
    expiresAt: new Date(Date.now() + (options.endsIn ?? 8 * 3600) * 1000),
    active: true,
    kind: "cli",
    client: { hostname: "build-42", osUser: "alice", version: "1.0.0" },
  });
  const session = await readSession(env.db, token, new Date(), "cli");
  if (!session) throw new Error("CLI session not live");
  return session;
}

const issue = (session: JetwaySession, body: unknown, limitPerMinute = 0) =>
  issueCliCredentials(env.db, { session, body, ip: "203.0.113.9", userAgent: "jetway-cli/1.0.0", limitPerMinute }, ctx);

beforeAll(async () => {
  env = await createTestSqlite();
  await env.db.idpConnection.create({ data: { id: "corp", name: "Corp", entityId: "https://idp.example.com" } });
  userId = (
    await env.db.user.create({
      data: { connectionId: "corp", nameId: "alice@example.com", email: "alice@example.com" },
    })
  ).id;
  await env.db.awsAccount.create({
    data: { id: "111111111111", alias: "prod", samlProviderArn: PROVIDER, defaultRegion: "eu-west-1" },
  });
  await env.db.roleMapping.createMany({
    data: [
      {
        group: "aws-prod-readonly",
        roleArn: ROLE("ReadOnly"),
        accountId: "111111111111",
        sessionDuration: 3600,
        label: "Production read-only",
      },
      { group: "aws-prod-admins", roleArn: ROLE("Admin"), accountId: "111111111111", sessionDuration: 7200 },
      { group: "aws-prod-tagged", roleArn: ROLE("Tagged"), accountId: "111111111111", sessionDuration: 3600 },
    ],
  });
  const metadataXml = await getAwsIdpMetadata(env.db, baseUrl, { secret });
  sandbox = await startSandbox(
    {
      samlProviders: [{ arn: PROVIDER, metadataXml }],
      roles: [
        { arn: ROLE("ReadOnly"), maxSessionDuration: 3600, trustedProviders: [PROVIDER], allowSetSourceIdentity: true },
        { arn: ROLE("Admin"), maxSessionDuration: 43200, trustedProviders: [PROVIDER], allowSetSourceIdentity: true },
        { arn: ROLE("Tagged"), trustedProviders: [PROVIDER], allowSetSourceIdentity: true, allowTagSession: true },
      ],
    },
    { port: 0 },
  );
  ctx = { baseUrl, secret, stsEndpoint: sandbox.url };
});
afterAll(async () => {
  await sandbox?.close();
  await env?.cleanup();
});
beforeEach(() => {
  forgetRoleMaxDurations();
  forgetCachedSessions();
});

describe("GET /api/cli/roles: listCliRoles", () => {
  it("lists exactly the portal's grants (listGrantsForSession), in the contract's shape", async () => {
    const session = await cliSession();
    const roles = await listCliRoles(env.db, session);
    const portal = await listGrantsForSession(env.db, {
      userId: session.user.id,
      groups: session.user.groups,
      connectionId: "corp",
    });
    expect(roles.map((r) => r.roleArn).sort()).toEqual(portal.map((g) => g.roleArn).sort());
    expect(roles).toEqual([
      {
        accountId: "111111111111",
        accountAlias: "prod",
        partition: "aws",
        roleName: "Admin",
        roleArn: ROLE("Admin"),
        label: null,
        sessionDuration: 7200,
        defaultRegion: "eu-west-1",
      },
      {
        accountId: "111111111111",
        accountAlias: "prod",
        partition: "aws",
        roleName: "ReadOnly",
        roleArn: ROLE("ReadOnly"),
        label: "Production read-only",
        sessionDuration: 3600,
        defaultRegion: "eu-west-1",
      },
    ]);
  });
});

describe("POST /api/cli/credentials: issueCliCredentials (real AWS SDK against the AWS sandbox)", () => {
  it("returns credential_process JSON for the person's AWS identity, and audits it without any secret", async () => {
    const session = await cliSession({ groups: ["aws-prod-tagged"], tags: [{ key: "Department", value: "Platform" }] });
    const issued = await issue(session, { account: "prod", role: "Tagged" });
    expect(issued.credentials).toEqual({
      Version: 1,
      AccessKeyId: expect.stringMatching(/^ASIA/),
      SecretAccessKey: expect.any(String),
      SessionToken: expect.any(String),
      Expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    });
    expect(Object.keys(issued.credentials)).toEqual([
      "Version",
      "AccessKeyId",
      "SecretAccessKey",
      "SessionToken",
      "Expiration",
    ]);
    const call = stsCalls().at(-1);
    expect(call).toMatchObject({
      outcome: "ok",
      roleArn: ROLE("Tagged"),
      durationSeconds: 3600,
      sessionTags: [{ key: "Department", value: "Platform" }],
    });

    const audit = await env.db.auditEvent.findFirstOrThrow({
      where: { type: "cli.credentials", result: "success" },
      orderBy: { at: "desc" },
    });
    expect(audit).toMatchObject({ userId, nameId: "alice@example.com", connectionId: "corp", ip: "203.0.113.9" });
    expect(JSON.parse(audit.details ?? "{}")).toMatchObject({
      cliSessionId: session.id,
      accountId: "111111111111",
      roleArn: ROLE("Tagged"),
      durationSeconds: 3600,
      awsIdentity: "alice@example.com",
      assumedRoleArn: "arn:aws:sts::111111111111:assumed-role/Tagged/alice@example.com",
      expiration: issued.credentials.Expiration,
    });
    const allAudit = JSON.stringify(await env.db.auditEvent.findMany());
    for (const secretValue of [
      issued.credentials.AccessKeyId,
      issued.credentials.SecretAccessKey,
      issued.credentials.SessionToken,
    ]) {
      expect(allAudit).not.toContain(secretValue);
    }
    expect(allAudit).not.toMatch(/ASIA[A-Z0-9]{12}|SAMLResponse|SecretAccessKey|SessionToken/);
  });

  it("accepts the account id as well as the alias", async () => {
    const issued = await issue(await cliSession(), { account: "111111111111", role: "ReadOnly" });
    expect(issued.durationSeconds).toBe(3600);
  });

  it("ATTACK: a mapping removed after `jetway login` grants nothing: 403 not_entitled, no STS call, audited", async () => {
    const session = await cliSession();
    expect((await issue(session, { account: "prod", role: "Admin" })).durationSeconds).toBe(7200);
    const mapping = await env.db.roleMapping.findFirstOrThrow({ where: { roleArn: ROLE("Admin") } });
    await env.db.roleMapping.delete({ where: { id: mapping.id } });
    try {
      const before = stsCalls().length;
      const error = await refusal(issue(session, { account: "prod", role: "Admin" }));
      expect(error).toMatchObject({ code: "console.not_entitled", status: 403 });
      expect(stsCalls().length).toBe(before);
      const response = cliErrorResponse(error);
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        error: "not_entitled",
        message: error.userMessage,
        reference: error.referenceId,
      });
      const audit = await env.db.auditEvent.findFirstOrThrow({ where: { referenceId: error.referenceId } });
      expect(audit).toMatchObject({ type: "cli.credentials", result: "failure", userId });
      expect(JSON.parse(audit.details ?? "{}")).toMatchObject({
        cliSessionId: session.id,
        account: "prod",
        role: "Admin",
      });
    } finally {
      await env.db.roleMapping.create({ data: { ...mapping } });
    }
  });

  it("refuses a role the groups never granted, and an unknown account, before STS", async () => {
    const before = stsCalls().length;
    const session = await cliSession({ groups: ["aws-prod-readonly"] });
    expect(await refusal(issue(session, { account: "prod", role: "Admin" }))).toMatchObject({
      code: "console.not_entitled",
      status: 403,
    });
    expect(await refusal(issue(session, { account: "staging", role: "ReadOnly" }))).toMatchObject({
      code: "console.unknown_account",
      status: 404,
    });
    expect(stsCalls().length).toBe(before);
  });

  it("clamps the duration: never above the mapping's, at least 900 s, within the role's maximum", async () => {
    const session = await cliSession();
    const longer = await issue(session, { account: "prod", role: "ReadOnly", durationSeconds: 28800 });
    expect(longer.durationSeconds).toBe(3600);
    expect(longer.note).toBe("Session length shortened to 1 h, the longest Jetway grants for this role.");
    const shorter = await issue(session, { account: "prod", role: "Admin", durationSeconds: 900 });
    expect(shorter).toMatchObject({ durationSeconds: 900, note: undefined });
    expect(stsCalls().at(-1)).toMatchObject({ durationSeconds: 900, outcome: "ok" });
    const expiresIn = Date.parse(shorter.credentials.Expiration) - Date.now();
    expect(expiresIn).toBeGreaterThan(850_000);
    expect(expiresIn).toBeLessThanOrEqual(900_000);
  });

  it("holds the credentials within the Jetway sign-in, and below STS's 900 s asks for `jetway login`", async () => {
    const ending = await cliSession({ endsIn: 1200 });
    const issued = await issue(ending, { account: "prod", role: "Admin" });
    expect(issued.durationSeconds).toBeLessThanOrEqual(1200);
    expect(issued.durationSeconds).toBeGreaterThan(1190);
    expect(issued.note).toMatch(/your Jetway sign-in ends then/);

    const before = stsCalls().length;
    const error = await refusal(issue(await cliSession({ endsIn: 600 }), { account: "prod", role: "Admin" }));
    expect(error).toMatchObject({ code: "console.session_ending", status: 401 });
    expect(error.userMessage).toBe(
      "Your Jetway sign-in ends in less than 15 min, too soon for AWS credentials. Run `jetway login` to sign in again.",
    );
    expect(stsCalls().length).toBe(before);
    expect(await cliErrorResponse(error).json()).toMatchObject({ error: "session_ending" });
  });

  it("refuses a body that does not fit (400) before anything else", async () => {
    const session = await cliSession();
    for (const body of [
      null,
      "prod",
      {},
      { account: "prod" },
      { account: "prod", role: "Admin", durationSeconds: 60 },
      { account: "prod", role: "Admin", durationSeconds: 1.5 },
    ]) {
      const error = await refusal(issue(session, body));
      expect(error).toMatchObject({ code: "cli.invalid_request", status: 400 });
      expect(cliErrorCode(error)).toBe("invalid_request");
    }
  });

  it("ATTACK: rate-limited per token (429 with Retry-After), another token unaffected, one audit row per flood", async () => {
    const flooding = await cliSession({ groups: ["aws-prod-readonly"] });
    const other = await cliSession({ groups: ["aws-prod-readonly"] });
    const body = { account: "prod", role: "ReadOnly" };
    await issue(flooding, body, 2);
    await issue(flooding, body, 2);
    const before = stsCalls().length;
    const refusals = [await refusal(issue(flooding, body, 2)), await refusal(issue(flooding, body, 2))];
    expect(stsCalls().length).toBe(before);
    for (const error of refusals) expect(error).toMatchObject({ code: "cli.rate_limited", status: 429 });
    const response = cliErrorResponse(refusals[0]);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await response.json()).toMatchObject({
      error: "rate_limited",
      message: expect.stringMatching(/^Too many credential requests with this sign-in/),
    });
    expect(
      await env.db.auditEvent.count({ where: { type: "cli.credentials", reason: { startsWith: "cli.rate_limited" } } }),
    ).toBe(1);
    // The same address, another token: its own budget.
    expect((await issue(other, body, 2)).durationSeconds).toBe(3600);
  });
});
