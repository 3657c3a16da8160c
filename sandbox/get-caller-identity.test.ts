import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from "@aws-sdk/client-sts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT, ADMIN_ROLE, READONLY_ROLE, createFixture, type Fixture } from "./testing/sandbox-fixture";
import { expectRefused, refusal } from "./testing/sdk-refusal";

// GetCallerIdentity through the real @aws-sdk/client-sts (unmodified, given the credentials the
// sandbox issued and the sandbox's endpoint) and through Debian's AWS CLI v2 (/usr/bin/aws).
// Attacks take a request the real SDK signed and change it in transit.

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

let f: Fixture;
/** The sandbox's clock runs this far ahead of the real one (tests move it, afterEach resets it). */
let sandboxClockOffsetMs = 0;
const logLines: string[] = [];
const issued: Credentials[] = [];

beforeAll(async () => {
  f = await createFixture({
    now: () => new Date(Date.now() + sandboxClockOffsetMs),
    log: (line) => logLines.push(line),
  });
});

afterEach(() => {
  sandboxClockOffsetMs = 0;
});

afterAll(async () => {
  await f?.sandbox.close();
});

async function assumedCredentials(roleArn = ADMIN_ROLE, durationSeconds?: number) {
  const out = await f.assume(f.mint(), { RoleArn: roleArn, DurationSeconds: durationSeconds });
  const creds = {
    accessKeyId: out.Credentials!.AccessKeyId!,
    secretAccessKey: out.Credentials!.SecretAccessKey!,
    sessionToken: out.Credentials!.SessionToken!,
  };
  issued.push(creds);
  return { creds, out };
}

function client(credentials: Credentials, options: Partial<STSClientConfig> = {}): STSClient {
  return new STSClient({ region: "us-east-1", endpoint: f.sandbox.url, credentials, maxAttempts: 1, ...options });
}

// ---- Requests the SDK signed, sent by hand ----------------------------------------------------------

interface CapturedRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** What the real SDK would send for GetCallerIdentity, signed, without sending it. */
async function sdkSignedRequest(
  credentials: Credentials,
  options: Partial<STSClientConfig> = {},
): Promise<CapturedRequest> {
  let captured: CapturedRequest | undefined;
  const requestHandler = {
    handle: async (req: CapturedRequest) => {
      captured = req;
      throw new Error("captured, not sent");
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
  await client(credentials, {
    ...options,
    requestHandler: requestHandler as unknown as STSClientConfig["requestHandler"],
  })
    .send(new GetCallerIdentityCommand({}))
    .catch(() => undefined);
  if (!captured) throw new Error("the SDK sent nothing");
  return { ...captured, headers: { ...captured.headers } };
}

interface RawAnswer {
  status: number;
  body: string;
  code?: string;
  message?: string;
}

/** Text content of the first <name> element of an STS XML answer, entities decoded. */
function xmlText(xml: string, name: string): string | undefined {
  const raw = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return raw?.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => entities[e]!);
}

function sendRaw(req: CapturedRequest, changes: { body?: string; path?: string } = {}): Promise<RawAnswer> {
  const { port, hostname } = new URL(f.sandbox.url);
  const query = Object.entries(req.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v ?? ""))}`)
    .join("&");
  const body = changes.body ?? (typeof req.body === "string" ? req.body : "");
  const headers = { ...req.headers };
  if (changes.body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        hostname,
        port: Number(port),
        method: req.method,
        path: changes.path ?? `${req.path}${query ? `?${query}` : ""}`,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            body: text,
            code: xmlText(text, "Code"),
            message: xmlText(text, "Message"),
          });
        });
      },
    );
    r.on("error", reject);
    r.end(body);
  });
}

/** Rewrites one part of "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...". */
function withAuthorization(req: CapturedRequest, edit: (value: string) => string): CapturedRequest {
  return { ...req, headers: { ...req.headers, authorization: edit(req.headers.authorization!) } };
}

const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

describe("GetCallerIdentity with @aws-sdk/client-sts", () => {
  it("answers the assumed role's identity: UserId <role id>:<session name>, Account, assumed-role ARN", async () => {
    const { creds, out } = await assumedCredentials();
    const id = await client(creds).send(new GetCallerIdentityCommand({}));
    expect({ UserId: id.UserId, Account: id.Account, Arn: id.Arn }).toEqual({
      UserId: out.AssumedRoleUser!.AssumedRoleId,
      Account: ACCOUNT,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice@example.com`,
    });
    expect(id.UserId).toMatch(/^AROA[A-Z2-7]{17}:alice@example\.com$/);
    expect(f.sandbox.state.calls.at(-1)).toMatchObject({
      action: "GetCallerIdentity",
      httpStatus: 200,
      outcome: "ok",
      signedRequest: true,
      region: "us-east-1",
      accessKeyId: creds.accessKeyId,
      assumedRoleArn: id.Arn,
    });
  });

  it("is what the SDK sends: a form POST to / with Action=GetCallerIdentity, signed for sts with the session token", async () => {
    const { creds } = await assumedCredentials();
    const req = await sdkSignedRequest(creds);
    expect(req.method).toBe("POST");
    expect(req.body).toBe("Action=GetCallerIdentity&Version=2011-06-15");
    expect(req.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/\\d{8}/us-east-1/sts/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(req.headers["x-amz-security-token"]).toBe(creds.sessionToken);
    expect((await sendRaw(req)).status).toBe(200);
  });

  it("accepts a regional endpoint (/<region> prefix) signed for that region, and refuses another region's scope", async () => {
    const { creds } = await assumedCredentials(READONLY_ROLE);
    const id = await client(creds, { region: "eu-west-1", endpoint: `${f.sandbox.url}/eu-west-1` }).send(
      new GetCallerIdentityCommand({}),
    );
    expect(id.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/ReadOnly/alice@example.com`);
    await expectRefused(
      client(creds, { region: "us-east-1", endpoint: `${f.sandbox.url}/eu-west-1` }).send(
        new GetCallerIdentityCommand({}),
      ),
      "SignatureDoesNotMatch",
      403,
      "Credential should be scoped to a valid region, not 'us-east-1'.",
    );
  });

  it("refuses a wrong secret: SignatureDoesNotMatch (403)", async () => {
    const { creds } = await assumedCredentials();
    const wrong = {
      ...creds,
      secretAccessKey: `${creds.secretAccessKey.slice(0, -1)}${creds.secretAccessKey.endsWith("A") ? "B" : "A"}`,
    };
    await expectRefused(
      client(wrong).send(new GetCallerIdentityCommand({})),
      "SignatureDoesNotMatch",
      403,
      SIGNATURE_MISMATCH,
    );
    expect(f.sandbox.state.calls.at(-1)).toMatchObject({
      action: "GetCallerIdentity",
      outcome: "SignatureDoesNotMatch",
      check: "signature",
    });
  });

  it("refuses an access key it never issued: InvalidClientTokenId (403)", async () => {
    const { creds } = await assumedCredentials();
    await expectRefused(
      client({ ...creds, accessKeyId: "ASIAAAAAAAAAAAAAAAAA" }).send(new GetCallerIdentityCommand({})),
      "InvalidClientTokenId",
      403,
      "The security token included in the request is invalid.",
    );
  });

  it("refuses temporary credentials sent without their session token: InvalidClientTokenId (403)", async () => {
    const { creds } = await assumedCredentials();
    await expectRefused(
      client({ accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }).send(
        new GetCallerIdentityCommand({}),
      ),
      "InvalidClientTokenId",
      403,
      "The security token included in the request is invalid.",
    );
    expect(f.sandbox.state.calls.at(-1)?.check).toBe("session-token");
  });

  it("refuses a key with another session's token (both issued here): InvalidClientTokenId", async () => {
    const a = (await assumedCredentials()).creds;
    const b = (await assumedCredentials()).creds;
    await expectRefused(
      client({ ...a, sessionToken: b.sessionToken }).send(new GetCallerIdentityCommand({})),
      "InvalidClientTokenId",
      403,
    );
  });

  it("refuses credentials past their Expiration: ExpiredToken (403), the message AWS prints", async () => {
    const { creds } = await assumedCredentials(ADMIN_ROLE, 900);
    sandboxClockOffsetMs = 901_000;
    await expectRefused(
      client(creds, { systemClockOffset: sandboxClockOffsetMs }).send(new GetCallerIdentityCommand({})),
      "ExpiredToken",
      403,
      "The security token included in the request is expired",
    );
    // Still ExpiredToken much later (AWS keeps recognizing the token as its own, expired).
    sandboxClockOffsetMs = 6 * 3600_000;
    await expectRefused(
      client(creds, { systemClockOffset: sandboxClockOffsetMs }).send(new GetCallerIdentityCommand({})),
      "ExpiredToken",
      403,
    );
  });

  it("refuses a request time more than 15 minutes away from the sandbox's clock, as STS does", async () => {
    const { creds } = await assumedCredentials();
    sandboxClockOffsetMs = 16 * 60_000;
    await expectRefused(
      client(creds).send(new GetCallerIdentityCommand({})),
      "SignatureDoesNotMatch",
      403,
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    sandboxClockOffsetMs = -16 * 60_000;
    await expectRefused(
      client(creds).send(new GetCallerIdentityCommand({})),
      "SignatureDoesNotMatch",
      403,
      /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/,
    );
    sandboxClockOffsetMs = 14 * 60_000;
    await client(creds).send(new GetCallerIdentityCommand({}));
  });
});

describe("attacks: requests the SDK signed, changed on the way", () => {
  let creds: Credentials;
  let signed: CapturedRequest;

  beforeAll(async () => {
    creds = (await assumedCredentials()).creds;
    signed = await sdkSignedRequest(creds);
  });

  it("the unchanged request is accepted, and accepted again: AWS allows a replay inside the time window", async () => {
    expect((await sendRaw(signed)).status).toBe(200);
    expect((await sendRaw(signed)).status).toBe(200);
  });

  it("no Authorization header: MissingAuthenticationToken (403)", async () => {
    const { authorization: _, ...headers } = signed.headers;
    expect(await sendRaw({ ...signed, headers })).toMatchObject({
      status: 403,
      code: "MissingAuthenticationToken",
      message: "Request is missing Authentication Token",
    });
  });

  it("a changed body (another parameter) breaks the payload hash: SignatureDoesNotMatch", async () => {
    expect(await sendRaw(signed, { body: "Action=GetCallerIdentity&Version=2011-06-15&Extra=1" })).toMatchObject({
      status: 403,
      code: "SignatureDoesNotMatch",
      message: SIGNATURE_MISMATCH,
    });
  });

  it("a query string added to the path breaks the canonical query: SignatureDoesNotMatch", async () => {
    expect(await sendRaw(signed, { path: "/?Action=GetCallerIdentity" })).toMatchObject({
      status: 403,
      code: "SignatureDoesNotMatch",
    });
  });

  it("a changed X-Amz-Date (one second later) breaks the string to sign", async () => {
    const date = signed.headers["x-amz-date"]!;
    const later = date.replace(/(\d{2})Z$/, (_, s: string) => `${String((Number(s) + 1) % 60).padStart(2, "0")}Z`);
    expect(await sendRaw({ ...signed, headers: { ...signed.headers, "x-amz-date": later } })).toMatchObject({
      status: 403,
      code: "SignatureDoesNotMatch",
    });
  });

  it("a changed Host breaks the canonical headers", async () => {
    const host = signed.headers.host!.replace("127.0.0.1", "localhost");
    expect(await sendRaw({ ...signed, headers: { ...signed.headers, host } })).toMatchObject({
      status: 403,
      code: "SignatureDoesNotMatch",
    });
  });

  it("another signature, and another issued key with its own token, do not pass", async () => {
    const forged = withAuthorization(signed, (v) => v.replace(/Signature=[0-9a-f]{64}/, `Signature=${"0".repeat(64)}`));
    expect(await sendRaw(forged)).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    const other = (await assumedCredentials()).creds;
    const swapped = withAuthorization(signed, (v) => v.replace(creds.accessKeyId, other.accessKeyId));
    swapped.headers["x-amz-security-token"] = other.sessionToken!;
    expect(await sendRaw(swapped)).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
  });

  it("a scope for another service, a bad terminator, or another day: SignatureDoesNotMatch with STS's sentence", async () => {
    expect(
      await sendRaw(withAuthorization(signed, (v) => v.replace("/sts/aws4_request", "/iam/aws4_request"))),
    ).toMatchObject({
      status: 403,
      code: "SignatureDoesNotMatch",
      message: "Credential should be scoped to correct service: 'sts'.",
    });
    expect(
      await sendRaw(withAuthorization(signed, (v) => v.replace("/sts/aws4_request", "/sts/aws5_request"))),
    ).toMatchObject({
      code: "SignatureDoesNotMatch",
      message: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.",
    });
    const day = signed.headers["x-amz-date"]!.slice(0, 8);
    expect(await sendRaw(withAuthorization(signed, (v) => v.replace(`/${day}/`, "/20150830/")))).toMatchObject({
      code: "SignatureDoesNotMatch",
      message: expect.stringMatching(
        /^Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150830' != '\d{8}'/,
      ),
    });
  });

  it("a scope in another partition (cn-north-1): the credentials are unknown there, InvalidClientTokenId", async () => {
    expect(await sendRaw(withAuthorization(signed, (v) => v.replace("/us-east-1/", "/cn-north-1/")))).toMatchObject({
      status: 403,
      code: "InvalidClientTokenId",
    });
  });

  it("Host left out of SignedHeaders: IncompleteSignature (400)", async () => {
    const noHost = withAuthorization(signed, (v) =>
      v.replace(
        /SignedHeaders=([^,]*)/,
        (_, list: string) =>
          `SignedHeaders=${list
            .split(";")
            .filter((h) => h !== "host")
            .join(";")}`,
      ),
    );
    expect(await sendRaw(noHost)).toMatchObject({
      status: 400,
      code: "IncompleteSignature",
      message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    });
  });

  it("no X-Amz-Date and no Date: IncompleteSignature (400)", async () => {
    const { "x-amz-date": _, ...headers } = signed.headers;
    expect(await sendRaw({ ...signed, headers })).toMatchObject({
      status: 400,
      code: "IncompleteSignature",
      message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    });
  });

  it("a presigned query string instead of the header: refused, and said so", async () => {
    const { authorization: _, ...headers } = signed.headers;
    const answer = await sendRaw({
      ...signed,
      headers,
      query: {
        "X-Amz-Credential": `${creds.accessKeyId}/20260101/us-east-1/sts/aws4_request`,
        "X-Amz-Signature": "00",
      },
    });
    expect(answer).toMatchObject({ status: 400, code: "IncompleteSignature" });
  });
});

describe("/_sandbox/stats", () => {
  it("counts AssumeRoleWithSAML and GetCallerIdentity calls, refused ones too, and survives DELETE /_sandbox/calls", async () => {
    const stats = async () =>
      (await (await fetch(`${f.sandbox.url}/_sandbox/stats`)).json()) as {
        startedAt: string;
        actions: Record<string, { calls: number; ok: number }>;
      };
    const before = await stats();
    expect(before.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const { creds } = await assumedCredentials();
    await refusal(f.assume("not a SAML response"));
    await client(creds).send(new GetCallerIdentityCommand({}));
    expect((await fetch(`${f.sandbox.url}/_sandbox/calls`, { method: "DELETE" })).status).toBe(204);
    const after = await stats();
    expect(after.actions.AssumeRoleWithSAML).toEqual({
      calls: before.actions.AssumeRoleWithSAML!.calls + 2,
      ok: before.actions.AssumeRoleWithSAML!.ok + 1,
    });
    expect(after.actions.GetCallerIdentity).toEqual({
      calls: before.actions.GetCallerIdentity!.calls + 1,
      ok: before.actions.GetCallerIdentity!.ok + 1,
    });
  });
});

const AWS_CLI = "/usr/bin/aws";
const execFileAsync = promisify(execFile);

describe.skipIf(!existsSync(AWS_CLI))(
  `AWS CLI v2 at ${AWS_CLI} (skipped when missing: apt-get install -y awscli)`,
  () => {
    let home: string;

    beforeAll(() => {
      home = mkdtempSync(path.join(tmpdir(), "sandbox-aws-cli-"));
    });

    afterAll(() => {
      rmSync(home, { recursive: true, force: true });
    });

    /**
     * `aws sts get-caller-identity` with none of the machine's files: the credentials in env vars, or
     * a profile of `configFile`. Debian's CLI 2.9 ignores AWS_ENDPOINT_URL(_STS): --endpoint-url it is.
     */
    async function awsCli(
      creds: Credentials | { profile: string; configFile: string },
    ): Promise<{ code: number; stdout: string; stderr: string }> {
      const env: NodeJS.ProcessEnv = {
        NODE_ENV: "test",
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        AWS_CONFIG_FILE: "configFile" in creds ? creds.configFile : "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_PAGER: "",
        AWS_MAX_ATTEMPTS: "1",
        ...("accessKeyId" in creds
          ? {
              AWS_ACCESS_KEY_ID: creds.accessKeyId,
              AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
              AWS_SESSION_TOKEN: creds.sessionToken ?? "",
            }
          : { AWS_PROFILE: creds.profile }),
      };
      const args = [
        "sts",
        "get-caller-identity",
        "--endpoint-url",
        f.sandbox.url,
        "--region",
        "us-east-1",
        "--output",
        "json",
      ];
      try {
        const { stdout, stderr } = await execFileAsync(AWS_CLI, args, { env, timeout: 60_000 });
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
      }
    }

    it("aws sts get-caller-identity prints the assumed role", async () => {
      const { creds, out } = await assumedCredentials();
      const result = await awsCli(creds);
      expect(result.stderr).toBe("");
      expect(JSON.parse(result.stdout)).toEqual({
        UserId: out.AssumedRoleUser!.AssumedRoleId,
        Account: ACCOUNT,
        Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice@example.com`,
      });
      expect(f.sandbox.state.calls.at(-1)).toMatchObject({
        action: "GetCallerIdentity",
        outcome: "ok",
        accessKeyId: creds.accessKeyId,
      });
    });

    it("takes the credentials from a credential_process profile (what `jetway configure` writes)", async () => {
      const { creds, out } = await assumedCredentials(READONLY_ROLE);
      const script = path.join(home, "print-credentials.mjs");
      const printed = {
        Version: 1,
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        SessionToken: creds.sessionToken,
        Expiration: out.Credentials!.Expiration!.toISOString(),
      };
      writeFileSync(script, `process.stdout.write(${JSON.stringify(JSON.stringify(printed))});\n`, { mode: 0o600 });
      const configFile = path.join(home, "config");
      writeFileSync(configFile, `[profile sandbox-readonly]\ncredential_process = ${process.execPath} ${script}\n`, {
        mode: 0o600,
      });
      const result = await awsCli({ profile: "sandbox-readonly", configFile });
      expect(result.stderr).toBe("");
      expect(JSON.parse(result.stdout)).toMatchObject({
        Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ReadOnly/alice@example.com`,
      });
    });

    it("a wrong secret, a missing token and expired credentials fail as they do at AWS", async () => {
      const { creds } = await assumedCredentials(ADMIN_ROLE, 900);
      const wrongSecret = await awsCli({ ...creds, secretAccessKey: "x".repeat(40) });
      expect(wrongSecret.code).toBe(254);
      // AWS_MAX_ATTEMPTS=1 makes the CLI add "(reached max retries: 0)" after the operation name.
      expect(wrongSecret.stderr).toContain(
        "An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation",
      );
      expect(wrongSecret.stderr).toContain(SIGNATURE_MISMATCH);

      const noToken = await awsCli({ accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey });
      expect(noToken.stderr).toContain(
        "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation",
      );
      expect(noToken.stderr).toContain("The security token included in the request is invalid.");

      sandboxClockOffsetMs = 901_000;
      const expired = await awsCli(creds);
      expect(expired.stderr).toContain("An error occurred (ExpiredToken) when calling the GetCallerIdentity operation");
      expect(expired.stderr).toContain("The security token included in the request is expired");
    });
  },
);

describe("no secrets in what the sandbox records", () => {
  it("neither /_sandbox/calls nor the log lines hold a secret key or a session token", async () => {
    expect(issued.length).toBeGreaterThan(5);
    const recorded = JSON.stringify(f.sandbox.state.calls) + logLines.join("\n");
    for (const c of issued) {
      expect(recorded).not.toContain(c.secretAccessKey);
      expect(recorded).not.toContain(c.sessionToken!);
    }
  });
});
