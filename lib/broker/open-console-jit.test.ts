import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { refusal } from "@/test/support/refusal";
import { getAwsIdpMetadata } from "@/lib/aws/jetway-aws-idp";
import { forgetRoleMaxDurations } from "@/lib/aws/duration";
import { createTestSqlite } from "@/test/support/sqlite";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { ADMIN_ROLE, REQUESTER_GROUPS, seedAccess, type AccessFixture } from "@/test/support/access-fixtures";
import { approveRequest, revokeGrant } from "@/lib/access/decide-request";
import { requestAccess } from "@/lib/access/request-access";
import { openConsole, type ConsoleSignInContext, type ConsoleSignInRequest } from "./open-console";

const secret = "open-console-jit-test-secret-0123456789abcd";
const baseUrl = "https://jetway.example.com";

let env: Awaited<ReturnType<typeof createTestSqlite>>;
let sandbox: RunningSandbox;
let ctx: ConsoleSignInContext;
let f: AccessFixture;

const alice = (): ConsoleSignInRequest => ({
  account: "prod",
  role: "Admin",
  user: { id: f.alice.userId, nameId: "alice", email: "alice@corp.example", groups: REQUESTER_GROUPS },
  connectionId: "corp",
  sessionExpiresAt: new Date(Date.now() + 24 * 3600 * 1000),
  ip: "198.51.100.4",
  userAgent: "vitest",
});

beforeAll(async () => {
  env = await createTestSqlite();
  f = await seedAccess(env.db);
  const provider = "arn:aws:iam::111111111111:saml-provider/Jetway";
  const metadataXml = await getAwsIdpMetadata(env.db, baseUrl, { secret });
  sandbox = await startSandbox(
    {
      samlProviders: [{ arn: provider, metadataXml }],
      roles: [
        { arn: ADMIN_ROLE, maxSessionDuration: 7200, trustedProviders: [provider], allowSetSourceIdentity: true },
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

describe("openConsole with a just-in-time grant (AWS sandbox)", () => {
  it("refuses an eligible role without an active grant, opens it while the grant lasts (clamped), refuses it once revoked", async () => {
    const noGrant = await refusal(openConsole(env.db, alice(), ctx));
    expect(noGrant.code).toBe("console.not_entitled");
    expect(noGrant.userMessage).toContain("needs an approved access request");

    // Approved 40 minutes ago for an hour: 20 minutes left, under the mapping's 1 h console session.
    const past = new Date(Date.now() - 40 * 60 * 1000);
    const asked = await requestAccess(
      env.db,
      f.alice,
      { mappingId: f.adminMappingId, roleArn: ADMIN_ROLE, reason: "incident", durationSeconds: 3_600 },
      past,
    );
    if (!asked.ok) throw new Error(asked.message);
    const approved = await approveRequest(env.db, f.bob, asked.value.id, undefined, past);
    expect(approved.ok).toBe(true);

    const signIn = await openConsole(env.db, alice(), ctx);
    expect(signIn.durationSeconds).toBeGreaterThan(1_190);
    expect(signIn.durationSeconds).toBeLessThanOrEqual(1_200);
    expect(signIn.note).toBe("Session length shortened to 20 min: your access grant ends then.");
    const audit = await env.db.auditEvent.findFirstOrThrow({
      where: { type: "console.signin", result: "success" },
      orderBy: { at: "desc" },
    });
    const details = JSON.parse(audit.details ?? "{}") as Record<string, unknown>;
    expect(details).toMatchObject({
      roleArn: ADMIN_ROLE,
      jit: { requestId: asked.value.id, breakGlass: false },
      durationSeconds: signIn.durationSeconds,
    });
    expect(details.requestId).toEqual(expect.any(String)); // STS's request id, as for every sign-in

    const revoked = await revokeGrant(env.db, f.carol, asked.value.id);
    expect(revoked.ok).toBe(true);
    expect((await refusal(openConsole(env.db, alice(), ctx))).code).toBe("console.not_entitled");
  });
});
