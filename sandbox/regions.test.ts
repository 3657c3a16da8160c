import { request as httpRequest } from "node:http";
import { AssumeRoleWithSAMLCommand } from "@aws-sdk/client-sts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_ROLE, createFixture, JETWAY_PROVIDER, READONLY_ROLE, type Fixture } from "./testing/sandbox-fixture";
import { expectRefused, refusal } from "./testing/sdk-refusal";

// Several regions on one port (a /<region> path or a regional Host), a region told to fail, and
// the Destination/Recipient of a regional sign-in endpoint held to its region; all through the
// unmodified @aws-sdk/client-sts.

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => f?.sandbox.close());
afterEach(() => {
  for (const region of ["eu-west-1", "eu-central-1"]) f.sandbox.setRegionFault(region, "none");
});

const regional = (region: string) => `https://${region}.signin.aws.amazon.com/saml`;
/** ReadOnly's trust policy has no SAML:aud condition, so any AWS sign-in endpoint may be the Recipient. */
const command = (addressedTo: string) =>
  new AssumeRoleWithSAMLCommand({
    RoleArn: READONLY_ROLE,
    PrincipalArn: JETWAY_PROVIDER,
    SAMLAssertion: f.mint({ destination: addressedTo, recipient: addressedTo }),
  });
const assumeIn = (region: string, addressedTo = regional(region), abortSignal?: AbortSignal) =>
  f.clientFor(`${f.sandbox.url}/${region}`).send(command(addressedTo), { abortSignal });
const lastCall = (action: string) => f.sandbox.state.calls.findLast((c) => c.action === action);

async function setFault(region: string, mode: string) {
  const response = await fetch(`${f.sandbox.url}/_sandbox/regions/${region}/fault`, {
    method: "POST",
    body: JSON.stringify({ mode }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

function statusViaHost(host: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${f.sandbox.url}${path}`, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("one port, several regions", () => {
  it("serves each region under /<region> and names it in the call log with the Recipient", async () => {
    const out = await assumeIn("eu-central-1");
    expect(out.Audience).toBe(regional("eu-central-1"));
    expect(lastCall("AssumeRoleWithSAML")).toMatchObject({
      region: "eu-central-1",
      outcome: "ok",
      recipient: regional("eu-central-1"),
    });
  });

  it("reads the region from a regional Host too (sts.<region>.amazonaws.com, <region>.signin.aws.amazon.com)", async () => {
    await setFault("eu-west-1", "503");
    expect(await statusViaHost("sts.eu-west-1.amazonaws.com", "/?Action=GetCallerIdentity")).toBe(503);
    expect(await statusViaHost("eu-west-1.signin.aws.amazon.com", "/federation?Action=getSigninToken")).toBe(503);
    // Another region's Host is served (here: refused as unsigned, which only a served call can be).
    expect(await statusViaHost("sts.eu-central-1.amazonaws.com", "/?Action=GetCallerIdentity")).toBe(403);
  });
});

describe("a regional sign-in endpoint is held to its region", () => {
  it("refuses a Destination or Recipient of another region (the failover must mint per region)", async () => {
    await expectRefused(
      assumeIn("eu-central-1", regional("eu-west-1")),
      "InvalidIdentityTokenException",
      400,
      "Destination https://eu-west-1.signin.aws.amazon.com/saml is the sign-in endpoint of eu-west-1, not of eu-central-1",
    );
    expect(lastCall("AssumeRoleWithSAML")).toMatchObject({ check: "destination-region", region: "eu-central-1" });
    await expectRefused(
      f.clientFor(`${f.sandbox.url}/eu-central-1`).send(
        new AssumeRoleWithSAMLCommand({
          RoleArn: READONLY_ROLE,
          PrincipalArn: JETWAY_PROVIDER,
          SAMLAssertion: f.mint({ destination: null, recipient: regional("eu-west-1") }),
        }),
      ),
      "InvalidIdentityTokenException",
      400,
      /Recipient .* is the sign-in endpoint of eu-west-1/,
    );
  });

  it("accepts the global endpoint in every region, and anything on the plain endpoint", async () => {
    await expect(assumeIn("eu-central-1", "https://signin.aws.amazon.com/saml")).resolves.toBeDefined();
    await expect(
      f.assume(f.mint({ destination: regional("eu-west-1"), recipient: regional("eu-west-1") }), {
        RoleArn: READONLY_ROLE,
      }),
    ).resolves.toBeDefined();
  });

  it("a trust policy whose SAML:aud lists only the global endpoint denies a regional Recipient", async () => {
    await expectRefused(
      f.clientFor(`${f.sandbox.url}/eu-west-1`).send(
        new AssumeRoleWithSAMLCommand({
          RoleArn: ADMIN_ROLE,
          PrincipalArn: JETWAY_PROVIDER,
          SAMLAssertion: f.mint({ destination: regional("eu-west-1"), recipient: regional("eu-west-1") }),
        }),
      ),
      "AccessDenied",
      403,
    );
    expect(lastCall("AssumeRoleWithSAML")).toMatchObject({ check: "trust-saml-aud" });
  });
});

describe("a region told to fail (POST /_sandbox/regions/{region}/fault)", () => {
  it("503: STS answers ServiceUnavailable, the federation endpoint a plain 503; other regions answer", async () => {
    expect(await setFault("eu-west-1", "503")).toEqual({ status: 200, body: { region: "eu-west-1", mode: "503" } });
    expect(await (await fetch(`${f.sandbox.url}/_sandbox/regions`)).json()).toEqual({
      faults: { "eu-west-1": { mode: "503" } },
    });
    await expectRefused(assumeIn("eu-west-1"), "ServiceUnavailable", 503, /temporary failure/);
    expect((await fetch(`${f.sandbox.url}/eu-west-1/federation?Action=getSigninToken`)).status).toBe(503);
    expect(lastCall("fault")).toMatchObject({ region: "eu-west-1", outcome: "fault:503", httpStatus: 503 });
    await expect(assumeIn("eu-central-1")).resolves.toBeDefined();
    await expect(f.assume(f.mint(), { RoleArn: READONLY_ROLE })).resolves.toBeDefined();
  });

  it("refuse: the connection closes without an answer", async () => {
    await setFault("eu-west-1", "refuse");
    const err = await refusal(assumeIn("eu-west-1"));
    expect(err.$metadata?.httpStatusCode).toBeUndefined();
    expect(`${(err as { code?: string }).code} ${err.message}`).toMatch(/ECONNRESET|socket hang up/i);
  });

  it("hang: no answer until the client gives up; 'none' heals the region", async () => {
    await setFault("eu-west-1", "hang");
    const started = Date.now();
    const err = await refusal(assumeIn("eu-west-1", regional("eu-west-1"), AbortSignal.timeout(400)));
    expect(err.name).toBe("AbortError");
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(lastCall("fault")).toMatchObject({ region: "eu-west-1", outcome: "fault:hang" });

    expect(await setFault("eu-west-1", "none")).toEqual({ status: 200, body: { region: "eu-west-1", mode: "none" } });
    await expect(assumeIn("eu-west-1")).resolves.toBeDefined();
  });

  it("can fail only the region's sign-in endpoint (or only its STS)", async () => {
    const response = await fetch(`${f.sandbox.url}/_sandbox/regions/eu-west-1/fault`, {
      method: "POST",
      body: JSON.stringify({ mode: "503", service: "signin" }),
    });
    expect(await response.json()).toEqual({ region: "eu-west-1", mode: "503", service: "signin" });
    expect((await fetch(`${f.sandbox.url}/eu-west-1/federation?Action=getSigninToken`)).status).toBe(503);
    await expect(assumeIn("eu-west-1")).resolves.toBeDefined();
    f.sandbox.setRegionFault("eu-west-1", "503", "sts");
    expect((await fetch(`${f.sandbox.url}/eu-west-1/federation?Action=getSigninToken`)).status).toBe(400);
    await expectRefused(assumeIn("eu-west-1"), "ServiceUnavailable", 503);
  });

  it("refuses a bad control request", async () => {
    expect((await setFault("eu-west-1", "explode")).status).toBe(400);
    expect((await setFault("not-a-region", "503")).status).toBe(400);
  });
});
