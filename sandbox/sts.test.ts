import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "./server";
import {
  buildIdpMetadata,
  generateTestKeyPair,
  mintSamlResponse,
  SIG,
  type TestKeyPair,
} from "./testing/saml-test-idp";
import {
  ACCOUNT,
  ADMIN_ROLE,
  createFixture,
  JETWAY_ENTITY_ID,
  JETWAY_PROVIDER,
  OTHER_ONLY_ROLE,
  OTHER_PROVIDER,
  PATH_ROLE,
  READONLY_ROLE,
  WEAK_PROVIDER,
  WEAK_ROLE,
  type Fixture,
} from "./testing/sandbox-fixture";
import { expectRefused } from "./testing/sdk-refusal";

// Every test talks to the sandbox through the real @aws-sdk/client-sts, without credentials.

let f: Fixture;

beforeAll(async () => {
  f = await createFixture();
});

afterAll(async () => {
  await f?.sandbox.close();
});

const secondsFromNow = (d: Date | undefined) => Math.round(((d?.getTime() ?? 0) - Date.now()) / 1000);

describe("AssumeRoleWithSAML accepted", () => {
  it("returns credentials and the assumed-role identity, like AWS's sample response", async () => {
    const out = await f.assume(f.mint());
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice@example.com`);
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:alice@example\.com$/);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toHaveLength(40);
    expect(out.Credentials?.SessionToken?.length).toBeGreaterThan(100);
    expect(secondsFromNow(out.Credentials?.Expiration)).toBeGreaterThan(3590);
    expect(secondsFromNow(out.Credentials?.Expiration)).toBeLessThanOrEqual(3600);
    expect(out.Subject).toBe("alice@example.com");
    expect(out.SubjectType).toBe("persistent");
    expect(out.Issuer).toBe(JETWAY_ENTITY_ID);
    expect(out.Audience).toBe("https://signin.aws.amazon.com/saml");
    expect(out.NameQualifier).toBe(createHash("sha1").update(`${JETWAY_ENTITY_ID}${ACCOUNT}/Jetway`).digest("base64"));
    expect(out.SourceIdentity).toBeUndefined();
    expect(out.PackedPolicySize).toBe(0);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("receives the SDK's call unsigned (no Authorization header)", async () => {
    await f.assume(f.mint());
    const last = f.sandbox.state.calls.at(-1);
    expect(last).toMatchObject({
      action: "AssumeRoleWithSAML",
      outcome: "ok",
      signedRequest: false,
      region: "us-east-1",
    });
  });

  it("drops the role path from the assumed-role ARN", async () => {
    const out = await f.assume(f.mint(), { RoleArn: PATH_ROLE });
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/Dev/alice@example.com`);
  });

  it("accepts a signed Response, and Response and Assertion both signed", async () => {
    await f.assume(f.mint({ sign: "response" }));
    expect(f.sandbox.state.calls.at(-1)?.signedElement).toBe("Response");
    await f.assume(f.mint({ sign: "both" }));
  });

  it("accepts RSA-SHA1 signatures", async () => {
    await f.assume(f.mint({ signatureAlgorithm: SIG.rsaSha1 }));
  });

  it("accepts a regional Recipient and the urn:amazon:webservices audience when the role has no SAML:aud condition", async () => {
    const out = await f.assume(
      f.mint({
        recipient: "https://eu-west-1.signin.aws.amazon.com/saml",
        destination: "https://eu-west-1.signin.aws.amazon.com/saml",
        audience: "urn:amazon:webservices",
      }),
      { RoleArn: READONLY_ROLE },
    );
    expect(out.Audience).toBe("https://eu-west-1.signin.aws.amazon.com/saml");
  });

  it("passes SourceIdentity and session tags when the trust policy allows them", async () => {
    const out = await f.assume(
      f.mint({
        sourceIdentity: "alice",
        tags: { Project: "Jetway", CostCenter: "12345" },
        transitiveTagKeys: ["Project"],
      }),
    );
    expect(out.SourceIdentity).toBe("alice");
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    expect(f.sandbox.state.calls.at(-1)?.sessionTags).toEqual([
      { key: "Project", value: "Jetway" },
      { key: "CostCenter", value: "12345" },
    ]);
  });

  it("accepts an assertion that expired within the clock skew", async () => {
    await f.assume(f.mint({ notOnOrAfter: new Date(Date.now() - 30_000) }));
  });

  it("accepts a replayed assertion, as STS does, and records the replay", async () => {
    const assertion = f.mint();
    await f.assume(assertion);
    await f.assume(assertion);
    expect(f.sandbox.state.calls.at(-1)).toMatchObject({ outcome: "ok", replay: true });
  });
});

describe("AssumeRoleWithSAML durations", () => {
  it("honours DurationSeconds up to the role's MaxSessionDuration", async () => {
    const out = await f.assume(f.mint(), { DurationSeconds: 7200 });
    expect(secondsFromNow(out.Credentials?.Expiration)).toBeGreaterThan(7190);
  });

  it("lets the SessionDuration attribute shorten the session", async () => {
    const out = await f.assume(f.mint({ sessionDuration: "1800" }));
    expect(secondsFromNow(out.Credentials?.Expiration)).toBeGreaterThan(1790);
    expect(secondsFromNow(out.Credentials?.Expiration)).toBeLessThanOrEqual(1800);
  });

  it("does not let the SessionDuration attribute extend API credentials beyond the default hour", async () => {
    const out = await f.assume(f.mint({ sessionDuration: "28800" }));
    expect(secondsFromNow(out.Credentials?.Expiration)).toBeLessThanOrEqual(3600);
  });

  it("ends the session at SessionNotOnOrAfter when that comes first", async () => {
    const out = await f.assume(f.mint({ sessionNotOnOrAfter: new Date(Date.now() + 1200_000) }));
    expect(secondsFromNow(out.Credentials?.Expiration)).toBeLessThanOrEqual(1200);
  });
});

describe("ValidationError (400)", () => {
  it("refuses DurationSeconds below 900", () =>
    expectRefused(
      f.assume(f.mint(), { DurationSeconds: 899 }),
      "ValidationError",
      400,
      /durationSeconds.*greater than or equal to 900/,
    ));

  it("refuses DurationSeconds above 43200", () =>
    expectRefused(
      f.assume(f.mint(), { DurationSeconds: 43201 }),
      "ValidationError",
      400,
      /less than or equal to 43200/,
    ));

  it("refuses DurationSeconds above the role's MaxSessionDuration", () =>
    expectRefused(
      f.assume(f.mint(), { RoleArn: READONLY_ROLE, DurationSeconds: 7200 }),
      "ValidationError",
      400,
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    ));

  it("refuses a RoleArn shorter than 20 characters", () =>
    expectRefused(
      f.assume(f.mint(), { RoleArn: "arn:aws:iam::1:r/x" }),
      "ValidationError",
      400,
      /'roleArn'.*greater than or equal to 20/,
    ));

  it("refuses a PrincipalArn longer than 2048 characters", () =>
    expectRefused(
      f.assume(f.mint(), { PrincipalArn: `${JETWAY_PROVIDER}${"x".repeat(2048)}` }),
      "ValidationError",
      400,
      /'principalArn'.*less than or equal to 2048/,
    ));

  it("refuses a SAMLAssertion longer than 100000 characters", () =>
    expectRefused(
      f.assume("A".repeat(100004)),
      "ValidationError",
      400,
      /'sAMLAssertion'.*less than or equal to 100000/,
    ));

  it("refuses a SAMLAssertion shorter than 4 characters", () =>
    expectRefused(f.assume("AA"), "ValidationError", 400, /'sAMLAssertion'.*greater than or equal to 4/));

  it("refuses a provider in another account than the role", () =>
    expectRefused(
      f.assume(f.mint(), { PrincipalArn: "arn:aws:iam::222222222222:saml-provider/Jetway" }),
      "ValidationError",
      400,
      "Principal exists outside the account of the Role being assumed.",
    ));
});

describe("InvalidIdentityToken (400)", () => {
  const invalid = (p: Promise<unknown>, message?: RegExp | string) =>
    expectRefused(p, "InvalidIdentityTokenException", 400, message);

  it("refuses what is not base64 XML", async () => {
    await invalid(f.assume("not base64!"), /not base64/);
    await invalid(f.assume(Buffer.from("<samlp:Response").toString("base64")), /not valid XML/);
  });

  it("refuses a DOCTYPE", () => invalid(f.assume(f.mint({ prolog: '<!DOCTYPE r [<!ENTITY x "y">]>' })), /DOCTYPE/));

  it("refuses an unsigned response", () => invalid(f.assume(f.mint({ sign: "none" })), /not signed/));

  it("refuses an Issuer that is not the provider metadata's entityID", () =>
    invalid(f.assume(f.mint({ issuer: "https://evil.example.com/idp" })), "Issuer not present in specified provider"));

  it("refuses a signature by a key not in the metadata, even with its certificate in KeyInfo", () =>
    invalid(f.assume(f.mint({ key: f.keys.other })), "Response signature invalid"));

  it("refuses an assertion altered after signing", () =>
    invalid(
      f.assume(
        f.mint({
          mutateXml: (x) => x.replace(">alice@example.com</saml:AttributeValue>", ">mallory</saml:AttributeValue>"),
        }),
      ),
      "Response signature invalid",
    ));

  it("refuses a second, wrapped assertion", () =>
    invalid(
      f.assume(
        f.mint({
          mutateXml: (x) =>
            x.replace(
              "</samlp:Response>",
              `<saml:Assertion ID="_evil" Version="2.0"><saml:Issuer>${JETWAY_ENTITY_ID}</saml:Issuer></saml:Assertion></samlp:Response>`,
            ),
        }),
      ),
      /exactly one Assertion/,
    ));

  it("refuses an HMAC signature algorithm", () =>
    invalid(
      f.assume(f.mint({ mutateXml: (x) => x.replace(SIG.rsaSha256, SIG.hmacSha1) })),
      /signature algorithm .* is not accepted/,
    ));

  it("refuses an audience that is not AWS", () =>
    invalid(
      f.assume(f.mint({ audience: "https://jetway.example.com/sp" })),
      "Response does not contain the required audience.",
    ));

  it("refuses a missing AudienceRestriction", () =>
    invalid(f.assume(f.mint({ audience: null })), "Response does not contain the required audience."));

  it("refuses a Recipient that is not an AWS SAML endpoint", () =>
    invalid(
      f.assume(f.mint({ recipient: "https://evil.example.com/saml" })),
      /Recipient .* is not an AWS SAML sign-in endpoint/,
    ));

  it("refuses a GovCloud Recipient for a role in the aws partition", () =>
    invalid(f.assume(f.mint({ recipient: "https://signin.amazonaws-us-gov.com/saml" })), /Recipient/));

  it("refuses a Response Destination that is not an AWS SAML endpoint", () =>
    invalid(f.assume(f.mint({ destination: "https://jetway.example.com/acs" })), /Destination/));

  it("refuses two SubjectConfirmations", () =>
    invalid(f.assume(f.mint({ subjectConfirmations: 2 })), /exactly one SubjectConfirmation/));

  it("refuses a SubjectConfirmationData without Recipient or NotOnOrAfter", async () => {
    await invalid(f.assume(f.mint({ recipient: null })), /must have NotOnOrAfter and Recipient/);
    await invalid(f.assume(f.mint({ confirmationNotOnOrAfter: null })), /must have NotOnOrAfter and Recipient/);
  });

  it("refuses an assertion that is not yet valid", () =>
    invalid(f.assume(f.mint({ notBefore: new Date(Date.now() + 600_000) })), /not yet valid/));

  it("refuses a missing RoleSessionName (troubleshoot_saml.md)", () =>
    invalid(f.assume(f.mint({ roleSessionName: null })), "RoleSessionName is required in AuthnResponse"));

  it("refuses an invalid RoleSessionName (troubleshoot_saml.md)", async () => {
    await invalid(
      f.assume(f.mint({ roleSessionName: "Alice Example" })),
      "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}",
    );
    await invalid(f.assume(f.mint({ roleSessionName: "a".repeat(65) })), /RoleSessionName in AuthnResponse must match/);
    await invalid(
      f.assume(f.mint({ roleSessionName: ["alice", "bob"] })),
      /RoleSessionName in AuthnResponse must match/,
    );
  });

  it("refuses an invalid SourceIdentity (troubleshoot_saml.md)", async () => {
    await invalid(f.assume(f.mint({ sourceIdentity: "Alice Example" })), /Source Identity must match/);
    await invalid(f.assume(f.mint({ sourceIdentity: "aws:alice" })), /not begin with "aws:"/);
  });

  it("refuses a PrincipalArn that names no provider", () =>
    invalid(
      f.assume(f.mint(), { PrincipalArn: `arn:aws:iam::${ACCOUNT}:saml-provider/Nope` }),
      "Specified provider doesn't exist.",
    ));

  it("refuses a provider whose metadata key is under 1024 bits", () =>
    invalid(
      f.assume(f.mint({ issuer: "https://weak.example.com/idp", roles: [`${WEAK_ROLE},${WEAK_PROVIDER}`] }), {
        RoleArn: WEAK_ROLE,
        PrincipalArn: WEAK_PROVIDER,
      }),
      /Could not parse metadata.*at least 1024/,
    ));
});

describe("ExpiredToken (400)", () => {
  it("refuses an assertion past its NotOnOrAfter", () =>
    expectRefused(
      f.assume(f.mint({ notOnOrAfter: new Date(Date.now() - 600_000) })),
      "ExpiredTokenException",
      400,
      /expired/,
    ));

  it("refuses a SubjectConfirmationData past its NotOnOrAfter", () =>
    expectRefused(
      f.assume(f.mint({ confirmationNotOnOrAfter: new Date(Date.now() - 600_000) })),
      "ExpiredTokenException",
      400,
    ));
});

describe("IDPRejectedClaim (403)", () => {
  const rejected = (p: Promise<unknown>, message?: RegExp | string) =>
    expectRefused(p, "IDPRejectedClaimException", 403, message);

  it("refuses when the Role attribute lacks the requested RoleArn,PrincipalArn pair", () =>
    rejected(
      f.assume(f.mint({ roles: [`${READONLY_ROLE},${JETWAY_PROVIDER}`] })),
      /does not contain the requested RoleArn,PrincipalArn pair/,
    ));

  it("refuses when the Role attribute is missing", () => rejected(f.assume(f.mint({ roles: null })), /Role attribute/));

  it("accepts the pair in provider,role order", async () => {
    await f.assume(f.mint({ roles: [`${JETWAY_PROVIDER},${ADMIN_ROLE}`] }));
  });

  it("refuses more than 50 session tags", () => {
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    return rejected(f.assume(f.mint({ tags })), /51 session tags/);
  });

  it("refuses a tag key over 128 characters", () =>
    rejected(f.assume(f.mint({ tags: { ["k".repeat(129)]: "v" } })), /key/));

  it("refuses a tag value over 256 characters", () =>
    rejected(f.assume(f.mint({ tags: { Project: "v".repeat(257) } })), /at most 256/));

  it("refuses a multi-valued tag", () =>
    rejected(f.assume(f.mint({ tags: { Project: ["a", "b"] } })), /exactly one value/));

  it("refuses TransitiveTagKeys that are not session tags", () =>
    rejected(f.assume(f.mint({ tags: { Project: "x" }, transitiveTagKeys: ["CostCenter"] })), /TransitiveTagKeys/));

  it("refuses a SessionDuration attribute outside 900..43200", () =>
    rejected(f.assume(f.mint({ sessionDuration: "600" })), /SessionDuration/));
});

describe("AccessDenied (403)", () => {
  const denied = (p: Promise<unknown>) =>
    expectRefused(p, "AccessDenied", 403, "Not authorized to perform sts:AssumeRoleWithSAML");

  it("refuses a role that does not exist", () => {
    const ghost = `arn:aws:iam::${ACCOUNT}:role/Ghost`;
    return denied(f.assume(f.mint({ roles: [`${ghost},${JETWAY_PROVIDER}`] }), { RoleArn: ghost }));
  });

  it("refuses a role whose trust policy does not name the provider", () =>
    denied(f.assume(f.mint({ roles: [`${OTHER_ONLY_ROLE},${JETWAY_PROVIDER}`] }), { RoleArn: OTHER_ONLY_ROLE })));

  it("refuses a Recipient that fails the trust policy's SAML:aud condition", () =>
    denied(f.assume(f.mint({ recipient: "https://eu-west-1.signin.aws.amazon.com/saml" }))));

  it("refuses SourceIdentity when the trust policy lacks sts:SetSourceIdentity", () =>
    denied(f.assume(f.mint({ sourceIdentity: "alice" }), { RoleArn: READONLY_ROLE })));

  it("refuses session tags when the trust policy lacks sts:TagSession", () =>
    denied(f.assume(f.mint({ tags: { Project: "x" } }), { RoleArn: READONLY_ROLE })));

  it("refuses a Subject without NameID", () => denied(f.assume(f.mint({ nameId: null }))));

  it("does not let a provider that is trusted elsewhere assume a role that does not trust it", () =>
    denied(
      f.assume(
        mintSamlResponse({
          key: f.keys.other,
          issuer: "https://other.example.com/idp",
          roles: [`${ADMIN_ROLE},${OTHER_PROVIDER}`],
        }).samlAssertion,
        { PrincipalArn: OTHER_PROVIDER },
      ),
    ));
});

describe("RegionDisabledException (403)", () => {
  it("refuses a call to a disabled region's endpoint", () =>
    expectRefused(
      f.assume(f.mint(), {}, f.clientFor(`${f.sandbox.url}/me-south-1`)),
      "RegionDisabledException",
      403,
      /STS is not activated in this region for account:111111111111/,
    ));

  it("serves an enabled region's endpoint", async () => {
    await f.assume(f.mint(), {}, f.clientFor(`${f.sandbox.url}/eu-west-1`));
    expect(f.sandbox.state.calls.at(-1)?.region).toBe("eu-west-1");
  });
});

describe("session policies", () => {
  it("refuses a malformed Policy", () =>
    expectRefused(f.assume(f.mint(), { Policy: "{not json" }), "MalformedPolicyDocumentException", 400));

  it("refuses policies over 2048 characters of plaintext", () =>
    expectRefused(
      f.assume(f.mint(), {
        PolicyArns: Array.from({ length: 10 }, (_, i) => ({
          arn: `arn:aws:iam::${ACCOUNT}:policy/${"p".repeat(200)}${i}`,
        })),
      }),
      "PackedPolicyTooLargeException",
      400,
    ));

  it("accepts a valid Policy and reports its packed size", async () => {
    const out = await f.assume(f.mint(), {
      Policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
      }),
    });
    expect(out.PackedPolicySize).toBeGreaterThan(0);
  });
});

describe("provider metadata by URL", () => {
  let server: Server;
  let served = "";
  let fetches = 0;
  let sandbox: RunningSandbox;
  let keyA: TestKeyPair;
  let keyB: TestKeyPair;
  const entityId = "https://rotating.example.com/idp";
  const provider = `arn:aws:iam::${ACCOUNT}:saml-provider/Rotating`;
  const role = `arn:aws:iam::${ACCOUNT}:role/Rotating`;

  beforeAll(async () => {
    keyA = generateTestKeyPair();
    keyB = generateTestKeyPair();
    served = buildIdpMetadata(entityId, [keyA]);
    server = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { "content-type": "application/samlmetadata+xml" });
      res.end(served);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const metadataUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`;
    sandbox = await startSandbox(
      { samlProviders: [{ arn: provider, metadataUrl }], roles: [{ arn: role, trustedProviders: [provider] }] },
      { port: 0 },
    );
  });

  afterAll(async () => {
    await sandbox?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  const mintWith = (key: TestKeyPair) =>
    mintSamlResponse({ key, issuer: entityId, roles: [`${role},${provider}`] }).samlAssertion;
  const assumeWith = (key: TestKeyPair) =>
    f.assume(mintWith(key), { RoleArn: role, PrincipalArn: provider }, f.clientFor(sandbox.url));

  it("fetches lazily, then follows a key rollover by fetching again once", async () => {
    expect(fetches).toBe(0);
    await assumeWith(keyA);
    expect(fetches).toBe(1);
    await assumeWith(keyA);
    expect(fetches).toBe(1);

    served = buildIdpMetadata(entityId, [keyB]);
    await assumeWith(keyB);
    expect(fetches).toBe(2);

    await expectRefused(assumeWith(keyA), "InvalidIdentityTokenException", 400, "Response signature invalid");
    expect(fetches).toBe(3);
  });
});

describe("the sandbox's own pages", () => {
  it("answers /healthz", async () => {
    const res = await fetch(`${f.sandbox.url}/healthz`);
    expect(res.status).toBe(200);
  });

  it("lists STS calls without secrets", async () => {
    const out = await f.assume(f.mint());
    const res = await fetch(`${f.sandbox.url}/_sandbox/calls`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain(out.Credentials!.AccessKeyId!);
    expect(text).not.toContain(out.Credentials!.SecretAccessKey!);
    expect(text).not.toContain(out.Credentials!.SessionToken!);
    const calls = JSON.parse(text) as { outcome: string; action: string }[];
    expect(calls.some((c) => c.outcome === "AccessDenied")).toBe(true);
  });

  it("answers an unknown Action with InvalidAction", async () => {
    const res = await fetch(f.sandbox.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetSessionToken&Version=2011-06-15",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    const body = await res.text();
    expect(body).toContain('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(body).toContain("<Type>Sender</Type>");
    expect(body).toContain("<Code>InvalidAction</Code>");
  });
});
