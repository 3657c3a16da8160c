import type { AssumeRoleWithSAMLCommandOutput } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACCOUNT, createFixture, type Fixture } from "./testing/sandbox-fixture";

// The federation endpoint and the console page, driven with fetch as Jetway will drive them.

let f: Fixture;
let clockOffsetMs = 0;

beforeAll(async () => {
  f = await createFixture({ now: () => new Date(Date.now() + clockOffsetMs) });
});

afterAll(async () => {
  await f?.sandbox.close();
});

beforeEach(() => {
  clockOffsetMs = 0;
});

const sessionJson = (out: AssumeRoleWithSAMLCommandOutput, patch: Record<string, string> = {}) =>
  JSON.stringify({
    sessionId: out.Credentials!.AccessKeyId,
    sessionKey: out.Credentials!.SecretAccessKey,
    sessionToken: out.Credentials!.SessionToken,
    ...patch,
  });

async function getSigninToken(session: string, extra: Record<string, string> = {}) {
  const qs = new URLSearchParams({ Action: "getSigninToken", ...extra, Session: session });
  return fetch(`${f.sandbox.url}/federation?${qs}`);
}

async function signinToken(out: AssumeRoleWithSAMLCommandOutput, extra: Record<string, string> = {}): Promise<string> {
  const res = await getSigninToken(sessionJson(out), extra);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { SigninToken: string };
  expect(typeof body.SigninToken).toBe("string");
  return body.SigninToken;
}

function loginUrl(token: string, destination = "https://console.aws.amazon.com/ec2/home?region=eu-west-1") {
  const qs = new URLSearchParams({
    Action: "login",
    Issuer: "https://jetway.example.com/",
    Destination: destination,
    SigninToken: token,
  });
  return `${f.sandbox.url}/federation?${qs}`;
}

const testId = (html: string, id: string) => new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];

describe("getSigninToken", () => {
  it("exchanges credentials the sandbox issued for a SigninToken", async () => {
    const out = await f.assume(f.mint());
    const res = await getSigninToken(sessionJson(out));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(Object.keys((await res.json()) as object)).toEqual(["SigninToken"]);
  });

  it("accepts POST, as the doc allows", async () => {
    const out = await f.assume(f.mint());
    const res = await fetch(`${f.sandbox.url}/federation`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ Action: "getSigninToken", Session: sessionJson(out) }).toString(),
    });
    expect(res.status).toBe(200);
  });

  it("answers 400 Invalid credentials parameter for a wrong secret, an unknown key or a bad Session", async () => {
    const out = await f.assume(f.mint());
    for (const session of [
      sessionJson(out, { sessionKey: "wrong" }),
      sessionJson(out, { sessionToken: "wrong" }),
      sessionJson(out, { sessionId: "ASIAUNKNOWNUNKNOWN12" }),
      "{not json",
      JSON.stringify({ sessionId: out.Credentials!.AccessKeyId }),
    ]) {
      const res = await getSigninToken(session);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("Invalid credentials parameter");
    }
  });

  it("answers 400 for expired credentials", async () => {
    const out = await f.assume(f.mint(), { DurationSeconds: 900 });
    clockOffsetMs = 901_000;
    const res = await getSigninToken(sessionJson(out));
    expect(res.status).toBe(400);
  });

  it("accepts SessionDuration 900..43200 and refuses other values", async () => {
    const out = await f.assume(f.mint());
    expect((await getSigninToken(sessionJson(out), { SessionDuration: "43200" })).status).toBe(200);
    expect((await getSigninToken(sessionJson(out), { SessionDuration: "899" })).status).toBe(400);
    expect((await getSigninToken(sessionJson(out), { SessionDuration: "43201" })).status).toBe(400);
  });

  it("refuses SessionDuration with role-chained credentials, and only then", async () => {
    const out = await f.assume(f.mint());
    f.sandbox.state.sessions.get(out.Credentials!.AccessKeyId!)!.chained = true;
    expect((await getSigninToken(sessionJson(out), { SessionDuration: "3600" })).status).toBe(400);
    expect((await getSigninToken(sessionJson(out))).status).toBe(200);
  });
});

describe("login and the console", () => {
  it("redirects to the sandbox console with a session cookie, and the console shows who arrived", async () => {
    const out = await f.assume(
      f.mint({ sourceIdentity: "alice", tags: { Project: "Jetway" }, transitiveTagKeys: ["Project"] }),
    );
    const token = await signinToken(out, { SessionDuration: "43200" });
    const destination = "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:";
    const res = await fetch(loginUrl(token, destination), { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${f.sandbox.url}/console?destination=${encodeURIComponent(destination)}`);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^sandbox_console_session=[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200/);

    const page = await fetch(res.headers.get("location")!, { headers: { cookie: cookie.split(";")[0]! } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(testId(html, "assumed-role-arn")).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice@example.com`);
    expect(testId(html, "session-name")).toBe("alice@example.com");
    expect(testId(html, "source-identity")).toBe("alice");
    expect(testId(html, "destination")).toBe(destination.replace(/&/g, "&amp;"));
    expect(testId(html, "issuer")).toBe("https://jetway.example.com/");
    expect(html).toContain('data-testid="session-tag" data-key="Project"');
  });

  it("uses a SigninToken once", async () => {
    const token = await signinToken(await f.assume(f.mint()));
    expect((await fetch(loginUrl(token), { redirect: "manual" })).status).toBe(302);
    expect((await fetch(loginUrl(token), { redirect: "manual" })).status).toBe(400);
  });

  it("refuses a SigninToken older than 15 minutes", async () => {
    const token = await signinToken(await f.assume(f.mint(), { DurationSeconds: 7200 }));
    clockOffsetMs = 15 * 60 * 1000 + 1000;
    expect((await fetch(loginUrl(token), { redirect: "manual" })).status).toBe(400);
  });

  it("refuses an unknown SigninToken", async () => {
    expect((await fetch(loginUrl("nope"), { redirect: "manual" })).status).toBe(400);
  });

  it("refuses a Destination that is not an AWS console URL of the partition", async () => {
    for (const destination of [
      "https://evil.example.com/",
      "http://console.aws.amazon.com/",
      "https://console.aws.amazon.com.evil.example.com/",
      "https://console.amazonaws-us-gov.com/",
    ]) {
      const token = await signinToken(await f.assume(f.mint()));
      const res = await fetch(loginUrl(token, destination), { redirect: "manual" });
      expect(res.status, destination).toBe(400);
    }
  });

  it("shows Not signed in with 401 without a console session", async () => {
    const res = await fetch(`${f.sandbox.url}/console`);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("Not signed in");
    const forged = await fetch(`${f.sandbox.url}/console`, { headers: { cookie: "sandbox_console_session=forged" } });
    expect(forged.status).toBe(401);
  });

  it("ends the console session when its duration is over", async () => {
    const token = await signinToken(await f.assume(f.mint()), { SessionDuration: "900" });
    const res = await fetch(loginUrl(token), { redirect: "manual" });
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    expect((await fetch(`${f.sandbox.url}/console`, { headers: { cookie } })).status).toBe(200);
    clockOffsetMs = 901_000;
    expect((await fetch(`${f.sandbox.url}/console`, { headers: { cookie } })).status).toBe(401);
  });

  it("records federation calls for tests", async () => {
    const calls = (await (await fetch(`${f.sandbox.url}/_sandbox/calls`)).json()) as {
      action: string;
      outcome: string;
    }[];
    expect(calls.some((c) => c.action === "federation:login" && c.outcome === "ok")).toBe(true);
    expect(calls.some((c) => c.action === "federation:getSigninToken" && c.outcome.startsWith("400"))).toBe(true);
  });
});
