import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { refusal } from "@/test/support/refusal";
import { getAwsIdpMetadata } from "@/lib/aws/jetway-aws-idp";
import { forgetRoleMaxDurations } from "@/lib/aws/duration";
import { createTestSqlite } from "@/test/support/sqlite";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { openConsole, type ConsoleSignInContext, type ConsoleSignInRequest } from "./open-console";

const secret = "open-console-test-secret-0123456789abcdefgh";
const baseUrl = "https://jetway.example.com";
const PROVIDER = "arn:aws:iam::111111111111:saml-provider/Jetway";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
let sandbox: RunningSandbox;
let ctx: ConsoleSignInContext;

const alice = (over: Partial<ConsoleSignInRequest> = {}): ConsoleSignInRequest => ({
  account: "prod",
  role: "Admin",
  user: { id: "user-alice", nameId: "alice@example.com", email: "alice@example.com", groups: ["aws-prod-admins"] },
  connectionId: "corp",
  sessionExpiresAt: new Date(Date.now() + 24 * 3600 * 1000), // longer than any mapping: no clamp
  ip: "198.51.100.4",
  userAgent: "vitest",
  ...over,
});

/** The value the sandbox console shows for a data-testid. */
const shown = (html: string, testId: string) => new RegExp(`data-testid="${testId}">([^<]*)<`).exec(html)?.[1];

/** Follows the federation login URL like a browser and reads the sandbox console page. */
async function landOnConsole(loginUrl: string): Promise<string> {
  const login = await fetch(loginUrl, { redirect: "manual" });
  expect(login.status).toBe(302);
  const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
  const consoleUrl = new URL(login.headers.get("location") ?? "", loginUrl);
  const page = await fetch(consoleUrl, { headers: { cookie } });
  expect(page.status).toBe(200);
  return page.text();
}

beforeAll(async () => {
  env = await createTestSqlite();
  await env.db.idpConnection.create({ data: { id: "corp", name: "Corp", entityId: "https://idp.example.com" } });
  await env.db.awsAccount.create({ data: { id: "111111111111", alias: "prod", samlProviderArn: PROVIDER } });
  await env.db.roleMapping.createMany({
    data: [
      {
        group: "aws-prod-admins",
        roleArn: "arn:aws:iam::111111111111:role/Admin",
        accountId: "111111111111",
        sessionDuration: 3600,
      },
      {
        group: "aws-prod-readonly",
        roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
        accountId: "111111111111",
        sessionDuration: 28800,
      },
      { group: "aws-prod-tagged", roleArn: "arn:aws:iam::111111111111:role/Tagged", accountId: "111111111111" },
      { group: "aws-prod-untrusted", roleArn: "arn:aws:iam::111111111111:role/Untrusted", accountId: "111111111111" },
    ],
  });
  // IAM holds Jetway's AWS-side metadata, exactly what GET /api/saml/aws/metadata serves.
  const metadataXml = await getAwsIdpMetadata(env.db, baseUrl, { secret });
  sandbox = await startSandbox(
    {
      samlProviders: [
        { arn: PROVIDER, metadataXml },
        { arn: "arn:aws:iam::111111111111:saml-provider/Other", metadataXml },
      ],
      roles: [
        {
          arn: "arn:aws:iam::111111111111:role/Admin",
          maxSessionDuration: 3600,
          trustedProviders: [PROVIDER],
          allowSetSourceIdentity: true,
        },
        {
          arn: "arn:aws:iam::111111111111:role/ReadOnly",
          maxSessionDuration: 3600,
          trustedProviders: [PROVIDER],
          allowSetSourceIdentity: true,
        },
        {
          arn: "arn:aws:iam::111111111111:role/Tagged",
          trustedProviders: [PROVIDER],
          allowSetSourceIdentity: true,
          allowTagSession: true,
        },
        {
          arn: "arn:aws:iam::111111111111:role/Untrusted",
          trustedProviders: ["arn:aws:iam::111111111111:saml-provider/Other"],
          allowSetSourceIdentity: true,
        },
      ],
    },
    { port: 0 },
  );
  ctx = { baseUrl, secret, stsEndpoint: sandbox.url, signinEndpoint: `${sandbox.url}/federation` };
});
afterAll(async () => {
  await sandbox?.close();
  await env?.cleanup();
});
beforeEach(() => forgetRoleMaxDurations());

describe("openConsole (real AWS SDK against the AWS sandbox)", () => {
  it("opens the console as the granted role, with the person's session name and source identity", async () => {
    const signIn = await openConsole(
      env.db,
      alice({ destination: "https://console.aws.amazon.com/ec2/home?region=eu-west-1" }),
      ctx,
    );
    expect(signIn.loginUrl.startsWith(`${sandbox.url}/federation?Action=login&`)).toBe(true);
    const login = new URL(signIn.loginUrl);
    expect(login.searchParams.get("Issuer")).toBe(baseUrl);
    expect(login.searchParams.get("Destination")).toBe("https://console.aws.amazon.com/ec2/home?region=eu-west-1");
    const page = await landOnConsole(signIn.loginUrl);
    expect(page).toContain("arn:aws:sts::111111111111:assumed-role/Admin/alice@example.com");
    expect(page).toContain("alice@example.com");
    expect(page).toContain("https://console.aws.amazon.com/ec2/home?region=eu-west-1");

    const audit = await env.db.auditEvent.findFirstOrThrow({
      where: { type: "console.signin", result: "success" },
      orderBy: { at: "desc" },
    });
    expect(audit).toMatchObject({ userId: "user-alice", ip: "198.51.100.4", connectionId: "corp" });
    const details = JSON.parse(audit.details ?? "{}") as Record<string, unknown>;
    expect(details).toMatchObject({
      accountId: "111111111111",
      roleArn: "arn:aws:iam::111111111111:role/Admin",
      durationSeconds: 3600,
      awsIdentity: "alice@example.com",
      awsIdentityForm: "email",
    });
    expect(details.requestId).toEqual(expect.any(String));
    // No token or sign-in URL is stored.
    expect(audit.details).not.toContain(login.searchParams.get("SigninToken") ?? "<none>");
    expect(JSON.stringify(await env.db.auditEvent.findMany())).not.toMatch(/SigninToken|ASIA[A-Z0-9]{12}|sessionToken/);
  });

  it("accepts the account id instead of the alias, and a console path as destination", async () => {
    const signIn = await openConsole(env.db, alice({ account: "111111111111", destination: "/s3/buckets" }), ctx);
    expect(new URL(signIn.loginUrl).searchParams.get("Destination")).toBe("https://console.aws.amazon.com/s3/buckets");
  });

  it("shortens a duration the role does not allow, explains it, and remembers it", async () => {
    const calls = () =>
      sandbox.state.calls.filter((c) => c.action === "AssumeRoleWithSAML" && c.roleArn?.endsWith("role/ReadOnly"));
    const signIn = await openConsole(
      env.db,
      alice({ role: "ReadOnly", user: { ...alice().user, groups: ["aws-prod-readonly"] } }),
      ctx,
    );
    expect(signIn.durationSeconds).toBe(3600);
    expect(signIn.note).toMatch(/shortened to 1 h/);
    // STS refused 8 h (ValidationError, the role allows 1 h), then granted 1 h.
    expect(calls().map((c) => [c.durationSeconds, c.outcome === "ok" ? "ok" : c.outcome])).toEqual([
      [28800, "ValidationError"],
      [3600, "ok"],
    ]);
    const before = calls().length;
    await openConsole(
      env.db,
      alice({ role: "ReadOnly", user: { ...alice().user, groups: ["aws-prod-readonly"] } }),
      ctx,
    );
    expect(calls().length - before).toBe(1); // straight to the working duration, no failed call
  });

  it("passes the session's tags to AWS, and explains sts:TagSession when the role does not allow them", async () => {
    const tagged = {
      ...alice().user,
      tags: [{ key: "Department", value: "Platform" }],
      transitiveTagKeys: ["Department"],
    };
    const signIn = await openConsole(
      env.db,
      alice({ role: "Tagged", user: { ...tagged, groups: ["aws-prod-tagged"] } }),
      ctx,
    );
    expect(await landOnConsole(signIn.loginUrl)).toContain("Platform");
    const call = sandbox.state.calls.findLast((c) => c.action === "AssumeRoleWithSAML" && c.outcome === "ok");
    expect(call?.sessionTags).toEqual([{ key: "Department", value: "Platform" }]);

    const error = await refusal(openConsole(env.db, alice({ user: { ...tagged, groups: ["aws-prod-admins"] } }), ctx));
    expect(error).toMatchObject({ code: "sts.access_denied", status: 403 });
    expect(error.userMessage).toContain("sts:TagSession");
  });

  it("carries the account's environment as a session tag where the account opts in, over a person's tag of that key", async () => {
    const tagged = {
      ...alice().user,
      groups: ["aws-prod-tagged"],
      tags: [
        { key: "Department", value: "Platform" },
        { key: "environment", value: "laptop" },
      ],
      transitiveTagKeys: ["environment"],
    };
    await env.db.awsAccount.update({
      where: { id: "111111111111" },
      data: { environment: "production", environmentTagKey: "Environment" },
    });
    try {
      await openConsole(env.db, alice({ role: "Tagged", user: tagged }), ctx);
      const call = sandbox.state.calls.findLast((c) => c.action === "AssumeRoleWithSAML" && c.outcome === "ok");
      expect(call?.sessionTags).toEqual([
        { key: "Department", value: "Platform" },
        { key: "Environment", value: "production" },
      ]);
      const audit = await env.db.auditEvent.findFirstOrThrow({
        where: { type: "console.signin", result: "success" },
        orderBy: { at: "desc" },
      });
      expect(JSON.parse(audit.details ?? "{}")).toMatchObject({ environmentTag: "Environment" });

      // An environment without the opt-in adds no tag.
      await env.db.awsAccount.update({ where: { id: "111111111111" }, data: { environmentTagKey: null } });
      await openConsole(env.db, alice({ role: "Tagged", user: tagged }), ctx);
      const plain = sandbox.state.calls.findLast((c) => c.action === "AssumeRoleWithSAML" && c.outcome === "ok");
      expect(plain?.sessionTags).toEqual(tagged.tags);
    } finally {
      await env.db.awsAccount.update({
        where: { id: "111111111111" },
        data: { environment: null, environmentTagKey: null },
      });
    }
  });

  it("refuses a role the session's groups do not grant (403), and audits it", async () => {
    const error = await refusal(openConsole(env.db, alice({ user: { ...alice().user, groups: ["developers"] } }), ctx));
    expect(error).toMatchObject({ code: "console.not_entitled", status: 403 });
    const audit = await env.db.auditEvent.findFirstOrThrow({ where: { referenceId: error.referenceId } });
    expect(audit).toMatchObject({ type: "console.signin", result: "failure" });
  });

  it("refuses a session whose IdP connection is gone (401)", async () => {
    // With one IdP its unscoped rules still match the groups; the connection lookup for the AWS identity refuses.
    const error = await refusal(openConsole(env.db, alice({ connectionId: "deleted-idp" }), ctx));
    expect(error).toMatchObject({ code: "console.unknown_connection", status: 401 });
  });

  it("refuses an unknown account (404) and a destination outside the console (400)", async () => {
    expect(await refusal(openConsole(env.db, alice({ account: "staging" }), ctx))).toMatchObject({
      code: "console.unknown_account",
      status: 404,
    });
    for (const destination of [
      "https://evil.example/",
      "https://console.aws.amazon.com.evil.example/",
      "//evil.example",
      "javascript:alert(1)",
    ]) {
      expect(await refusal(openConsole(env.db, alice({ destination }), ctx))).toMatchObject({
        code: "console.bad_destination",
        status: 400,
      });
    }
  });

  it("explains a trust policy that does not trust Jetway's provider", async () => {
    const error = await refusal(
      openConsole(env.db, alice({ role: "Untrusted", user: { ...alice().user, groups: ["aws-prod-untrusted"] } }), ctx),
    );
    expect(error.status).toBe(403);
    expect(error.code).toBe("sts.access_denied");
    expect(error.userMessage).toMatch(/trust/i);
  });

  it("reports STS or the federation endpoint being unreachable as 502", async () => {
    const sts = await refusal(openConsole(env.db, alice(), { ...ctx, stsEndpoint: "http://127.0.0.1:9" }));
    expect(sts).toMatchObject({ code: "sts.unreachable", status: 502 });
    const federation = await refusal(
      openConsole(env.db, alice(), { ...ctx, signinEndpoint: "http://127.0.0.1:9/federation" }),
    );
    expect(federation).toMatchObject({ code: "federation.unreachable", status: 502 });
  });
});

// Issue 9, item 5: no console session outlives the Jetway session (beyond STS's 15-minute minimum).
describe("openConsole within the Jetway session's time left", () => {
  const stsCalls = () => sandbox.state.calls.filter((c) => c.action === "AssumeRoleWithSAML").length;
  const at = () => {
    const now = new Date();
    return { now, ctxNow: { ...ctx, now }, endsIn: (seconds: number) => new Date(now.getTime() + seconds * 1000) };
  };

  it("shortens the console session to the seconds left, says why and audits the clamped duration", async () => {
    const { ctxNow, endsIn } = at();
    const signIn = await openConsole(env.db, alice({ sessionExpiresAt: endsIn(1200) }), ctxNow);
    expect(signIn.durationSeconds).toBe(1200);
    expect(signIn.note).toBe("Session length shortened to 20 min: your Jetway sign-in ends then.");
    const call = sandbox.state.calls.findLast((c) => c.action === "AssumeRoleWithSAML");
    expect(call).toMatchObject({ durationSeconds: 1200, outcome: "ok" });
    const audit = await env.db.auditEvent.findFirstOrThrow({
      where: { type: "console.signin", result: "success" },
      orderBy: { at: "desc" },
    });
    expect(JSON.parse(audit.details ?? "{}")).toMatchObject({ durationSeconds: 1200, sessionSecondsLeft: 1200 });
  });

  it("control: a session with more time left than the mapping asks changes nothing", async () => {
    const { ctxNow, endsIn } = at();
    const signIn = await openConsole(env.db, alice({ sessionExpiresAt: endsIn(7200) }), ctxNow);
    expect(signIn).toMatchObject({ durationSeconds: 3600, note: undefined });
  });

  it("opens a console with exactly STS's 900 s minimum left", async () => {
    const { ctxNow, endsIn } = at();
    const signIn = await openConsole(env.db, alice({ sessionExpiresAt: endsIn(900) }), ctxNow);
    expect(signIn.durationSeconds).toBe(900);
    expect(sandbox.state.calls.findLast((c) => c.action === "AssumeRoleWithSAML")).toMatchObject({
      durationSeconds: 900,
      outcome: "ok",
    });
  });

  it("refuses with less than 900 s left (401, sign in again), without calling STS, and audits it", async () => {
    const { ctxNow, endsIn } = at();
    for (const left of [899, 0, -60]) {
      const before = stsCalls();
      const error = await refusal(openConsole(env.db, alice({ sessionExpiresAt: endsIn(left) }), ctxNow));
      expect(error).toMatchObject({ code: "console.session_ending", status: 401 });
      expect(error.userMessage).toBe(
        "Your Jetway sign-in ends in less than 15 min, too soon to open an AWS console session. Sign in again to continue.",
      );
      expect(stsCalls()).toBe(before);
      const audit = await env.db.auditEvent.findFirstOrThrow({ where: { referenceId: error.referenceId } });
      expect(audit).toMatchObject({ type: "console.signin", result: "failure" });
      expect(audit.reason).toMatch(/^console\.session_ending: Jetway session ends in \d+ s/);
    }
  });

  it("the role's maximum still applies within the session's time left", async () => {
    const { ctxNow, endsIn } = at();
    const readOnly = alice({
      role: "ReadOnly",
      user: { ...alice().user, groups: ["aws-prod-readonly"] },
      sessionExpiresAt: endsIn(5 * 3600),
    });
    const signIn = await openConsole(env.db, readOnly, ctxNow);
    // 8 h asked by the mapping → 5 h left in the session → the role allows 1 h.
    expect(signIn.durationSeconds).toBe(3600);
    expect(signIn.note).toMatch(/1 h: this role does not allow 5 h/);
  });
});

// Issue 9, item 4: the AWS identity cannot be claimed across IdPs. Runs last: it adds a second IdP.
describe("openConsole with two IdPs: the AWS identity", () => {
  beforeAll(async () => {
    await env.db.idpConnection.update({
      where: { id: "corp" },
      data: { emailDomains: JSON.stringify(["example.com"]) },
    });
    await env.db.idpConnection.create({
      data: {
        id: "contractor",
        name: "Contractor",
        entityId: "https://idp.contractor.example",
        emailDomains: JSON.stringify(["contractor.example"]),
      },
    });
    await env.db.roleMapping.create({
      data: {
        connectionId: "contractor",
        group: "contractors",
        roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
        accountId: "111111111111",
        sessionDuration: 3600,
      },
    });
  });
  const contractorUser = (email: string, nameId: string) =>
    alice({
      role: "ReadOnly",
      connectionId: "contractor",
      user: { id: `user-${nameId}`, nameId, email, groups: ["contractors"] },
    });

  // Issue 9, item 3 at request time. The mappings above name no IdP (written directly, as a database
  // from before scoping holds them); with one IdP they granted corp's people (the tests above: the control).
  it("ATTACK: with a second IdP, rules naming no IdP grant nothing: the contractor sending aws-prod-admins is refused (403) before STS", async () => {
    const stsCalls = () => sandbox.state.calls.filter((c) => c.action === "AssumeRoleWithSAML").length;
    const before = stsCalls();
    const contractor = alice({
      connectionId: "contractor",
      user: { id: "user-mallory", nameId: "mallory", email: "mallory@contractor.example", groups: ["aws-prod-admins"] },
    });
    const error = await refusal(openConsole(env.db, contractor, ctx));
    expect(error).toMatchObject({ code: "console.not_entitled", status: 403 });
    // Fail closed: until an admin scopes them they are nobody's, corp's people included.
    expect(await refusal(openConsole(env.db, alice(), ctx))).toMatchObject({
      code: "console.not_entitled",
      status: 403,
    });
    expect(stsCalls()).toBe(before);
  });

  it("control: scoped to corp (as an admin would), corp's people open the console again and the contractor still cannot", async () => {
    await env.db.roleMapping.updateMany({ where: { connectionId: null }, data: { connectionId: "corp" } });
    const contractor = alice({
      connectionId: "contractor",
      user: { id: "user-mallory", nameId: "mallory", email: "mallory@contractor.example", groups: ["aws-prod-admins"] },
    });
    expect(await refusal(openConsole(env.db, contractor, ctx))).toMatchObject({
      code: "console.not_entitled",
      status: 403,
    });
    expect((await openConsole(env.db, alice(), ctx)).durationSeconds).toBe(3600);
  });

  it("ATTACK: the contractor's IdP asserting alice@example.com lands as contractor+alice_at_example.com, not as Alice", async () => {
    const signIn = await openConsole(env.db, contractorUser("alice@example.com", "alice@example.com"), ctx);
    const page = await landOnConsole(signIn.loginUrl);
    expect(shown(page, "assumed-role-arn")).toBe(
      "arn:aws:sts::111111111111:assumed-role/ReadOnly/contractor+alice_at_example.com",
    );
    expect(shown(page, "session-name")).toBe("contractor+alice_at_example.com");
    expect(shown(page, "source-identity")).toBe("contractor+alice_at_example.com");
    const audit = await env.db.auditEvent.findFirstOrThrow({
      where: { type: "console.signin", result: "success" },
      orderBy: { at: "desc" },
    });
    expect(JSON.parse(audit.details ?? "{}")).toMatchObject({
      awsIdentity: "contractor+alice_at_example.com",
      awsIdentityForm: "prefixed-name-id",
    });
  });

  it("control: the contractor's own people keep their address behind the prefix; corp's people keep their bare email", async () => {
    const bob = await landOnConsole(
      (await openConsole(env.db, contractorUser("bob@contractor.example", "00ubob"), ctx)).loginUrl,
    );
    expect(shown(bob, "source-identity")).toBe("contractor+bob@contractor.example");
    const corpAlice = await landOnConsole((await openConsole(env.db, alice(), ctx)).loginUrl);
    expect(shown(corpAlice, "assumed-role-arn")).toBe("arn:aws:sts::111111111111:assumed-role/Admin/alice@example.com");
    expect(shown(corpAlice, "source-identity")).toBe("alice@example.com");
  });

  it("reads the primary flag from the database at each console sign-in, not from the session", async () => {
    await env.db.idpConnection.update({ where: { id: "contractor" }, data: { primary: true } });
    try {
      const bob = await landOnConsole(
        (await openConsole(env.db, contractorUser("bob@contractor.example", "00ubob"), ctx)).loginUrl,
      );
      expect(shown(bob, "source-identity")).toBe("bob@contractor.example");
      const corpAlice = await landOnConsole((await openConsole(env.db, alice(), ctx)).loginUrl);
      expect(shown(corpAlice, "source-identity")).toBe("corp+alice@example.com");
    } finally {
      await env.db.idpConnection.update({ where: { id: "contractor" }, data: { primary: false } });
    }
  });

  it("a session whose IdP connection is gone has no grant left (its scoped rules went with it)", async () => {
    const error = await refusal(openConsole(env.db, alice({ connectionId: "deleted-idp" }), ctx));
    expect(error).toMatchObject({ code: "console.not_entitled", status: 403 });
  });
});
