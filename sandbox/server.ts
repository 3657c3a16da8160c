import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { regionRegex } from "./aws-partitions";
import {
  loadSandboxConfigFile,
  parseSandboxConfig,
  SandboxConfigError,
  type SandboxConfig,
  type SandboxConfigInput,
} from "./config";
import { renderConsole, renderNotSignedIn } from "./console-page";
import { CONSOLE_COOKIE, federation } from "./federation";
import { parseCookies } from "./html";
import { RegionFaults, regionFaultBodySchema, type FaultService, type RegionFaultMode } from "./region-faults";
import { ProviderMetadataStore } from "./saml/provider-metadata";
import { SandboxState, newRequestId, type CallRecord } from "./state";
import { assumeRoleWithSaml, type AssumeRoleWithSamlParams, type CallFacts } from "./sts/assume-role-with-saml";
import type { AuthenticationFacts } from "./sts/authenticate-request";
import { getCallerIdentity } from "./sts/get-caller-identity";
import type { SignedHttpRequest } from "./sts/sigv4";
import { StsError } from "./sts/sts-error";
import {
  awsTimestamp,
  renderAssumeRoleWithSamlResponse,
  renderGetCallerIdentityResponse,
  renderStsError,
} from "./sts/sts-xml";

// The local AWS sandbox: STS AssumeRoleWithSAML and GetCallerIdentity (Query API; the latter
// SigV4-signed with credentials the former issued), the federation endpoint and a console
// landing page. Not part of the Next build; run with `npx tsx sandbox/server.ts <config.yaml>`.

export interface StartSandboxOptions {
  /** 0 picks a free port. Default 4566. */
  port?: number;
  host?: string;
  /** Public URL used in redirects. Default http://<host>:<port>. */
  baseUrl?: string;
  /** Clock, for tests. */
  now?: () => Date;
  /** One line per handled call, without secrets. Default: silent. */
  log?: (line: string) => void;
  fetch?: typeof fetch;
}

export interface RunningSandbox {
  url: string;
  state: SandboxState;
  config: SandboxConfig;
  /** Makes one region's endpoints (or only its STS or sign-in one) fail (sandbox/region-faults.ts); "none" heals it. */
  setRegionFault(region: string, mode: RegionFaultMode | "none", service?: FaultService): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const STS_VERSION = "2011-06-15";

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Query parameters and, for form POSTs, the body's parameters (body wins); the raw body for SigV4. */
async function requestParams(req: IncomingMessage, url: URL): Promise<{ params: URLSearchParams; body: Buffer }> {
  const params = new URLSearchParams(url.searchParams);
  let body: Buffer = Buffer.alloc(0);
  if (req.method === "POST") {
    const type = (req.headers["content-type"] ?? "").toLowerCase();
    body = await readBody(req);
    if (type.startsWith("application/x-www-form-urlencoded") || type === "") {
      for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params.set(k, v);
    }
  }
  return { params, body };
}

/**
 * The region the endpoint itself names: a /<region> path prefix (http://127.0.0.1:4566/me-south-1),
 * an sts.<region>.amazonaws.com or <region>.signin.aws.amazon.com Host, or us-east-1 for the global
 * sts.amazonaws.com (the SDKs' endpoint rules sign calls to the global endpoint with the us-east-1
 * scope) and signin.aws.amazon.com (us-east-1's sign-in endpoint in the AWS General Reference's
 * "AWS Sign-In endpoints" table). One port thus serves several regions, by path or by Host.
 * Undefined for the sandbox's plain endpoint, which serves every region.
 */
function endpointRegion(req: IncomingMessage, url: URL): string | undefined {
  const first = url.pathname.split("/")[1] ?? "";
  if (regionRegex.test(first)) return first;
  const hostHeader = (req.headers.host ?? "").toLowerCase();
  if (/^(?:sts\.amazonaws\.com|signin\.aws\.amazon\.com)(?::\d+)?$/.test(hostHeader)) return "us-east-1";
  const host =
    /^sts\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?(?::\d+)?$/.exec(hostHeader) ??
    /^([a-z0-9-]+)\.signin\.aws\.amazon\.com(?::\d+)?$/.exec(hostHeader);
  if (host?.[1] && regionRegex.test(host[1])) return host[1];
  return undefined;
}

/**
 * Unsigned calls carry no region, so it is read from, in order: the endpoint (endpointRegion), the
 * SigV4 credential scope of a signed call, else the configured default.
 */
function requestRegion(req: IncomingMessage, url: URL, fallback: string): string {
  const fromEndpoint = endpointRegion(req, url);
  if (fromEndpoint) return fromEndpoint;
  const auth = req.headers.authorization ?? "";
  const scope = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/sts\//.exec(auth);
  if (scope?.[1] && regionRegex.test(scope[1])) return scope[1];
  return fallback;
}

/** The request exactly as it arrived, for the SigV4 check: raw path and query, headers in order. */
function signedHttpRequest(req: IncomingMessage, body: Buffer): SignedHttpRequest {
  const target = req.url ?? "/";
  const q = target.indexOf("?");
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  return {
    method: req.method ?? "GET",
    path: q === -1 ? target : target.slice(0, q),
    rawQuery: q === -1 ? "" : target.slice(q + 1),
    headers,
    body,
  };
}

function stsParams(params: URLSearchParams): AssumeRoleWithSamlParams {
  const policyArns: [number, string][] = [];
  for (const [k, v] of params) {
    const m = /^PolicyArns\.member\.(\d+)\.arn$/.exec(k);
    if (m) policyArns.push([Number(m[1]), v]);
  }
  policyArns.sort((a, b) => a[0] - b[0]);
  const opt = (k: string) => params.get(k) ?? undefined;
  return {
    RoleArn: opt("RoleArn"),
    PrincipalArn: opt("PrincipalArn"),
    SAMLAssertion: opt("SAMLAssertion"),
    DurationSeconds: opt("DurationSeconds"),
    Policy: opt("Policy"),
    PolicyArns: policyArns.map(([, v]) => v),
  };
}

function send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: string): void {
  res.writeHead(status, { "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

export async function startSandbox(
  configInput: SandboxConfig | SandboxConfigInput,
  options: StartSandboxOptions = {},
): Promise<RunningSandbox> {
  const config = parseSandboxConfig(configInput);
  const state = new SandboxState();
  const faults = new RegionFaults();
  const metadata = new ProviderMetadataStore(config.samlProviders, options.fetch);
  const clock = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const host = options.host ?? "127.0.0.1";
  let baseUrl = options.baseUrl?.replace(/\/+$/, "");

  const record = (call: CallRecord) => {
    state.recordCall(call);
    const extra = [call.check && `check=${call.check}`, call.roleArn && `role=${call.roleArn}`, call.replay && "replay"]
      .filter(Boolean)
      .join(" ");
    log(
      `${call.action} ${call.httpStatus} ${call.outcome}${extra ? ` ${extra}` : ""}${call.message && call.outcome !== "ok" ? `: ${call.message}` : ""}`,
    );
  };

  async function handleSts(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const requestId = newRequestId();
    const now = clock();
    state.sweep(now);
    const region = requestRegion(req, url, config.regions.default);
    const signedRequest = req.headers.authorization !== undefined;
    const xmlHeaders = { "content-type": "text/xml", "x-amzn-RequestId": requestId };
    let params: URLSearchParams;
    let body: Buffer;
    try {
      ({ params, body } = await requestParams(req, url));
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        const e = new StsError("ValidationError", "Request body too large");
        send(res, 413, xmlHeaders, renderStsError(e, requestId));
        return;
      }
      throw err;
    }
    const action = params.get("Action");
    const base: CallRecord = {
      at: now.toISOString(),
      action: action ?? "(none)",
      requestId,
      httpStatus: 0,
      outcome: "",
      signedRequest,
      region,
    };
    const fail = (e: StsError, facts: CallFacts = {}, extra: Partial<CallRecord> = {}) => {
      record({
        ...base,
        ...extra,
        ...facts,
        httpStatus: e.status,
        outcome: e.code,
        message: e.message,
        check: e.check,
      });
      send(res, e.status, xmlHeaders, renderStsError(e, requestId));
    };
    if (action === null) return fail(new StsError("MissingAction", "Missing Action"));
    if (action === "GetCallerIdentity") {
      const facts: AuthenticationFacts = {};
      const ctx = {
        state,
        now,
        endpointRegion: endpointRegion(req, url),
        maxClockSkewSeconds: config.signatureClockSkewSeconds,
      };
      try {
        const { result, session } = getCallerIdentity(signedHttpRequest(req, body), ctx, facts);
        record({
          ...base,
          httpStatus: 200,
          outcome: "ok",
          accessKeyId: session.accessKeyId,
          assumedRoleArn: session.assumedRoleArn,
        });
        send(res, 200, xmlHeaders, renderGetCallerIdentityResponse(result, requestId));
      } catch (err) {
        if (err instanceof StsError) return fail(err, {}, { accessKeyId: facts.accessKeyId });
        throw err;
      }
      return;
    }
    if (action !== "AssumeRoleWithSAML") {
      return fail(
        new StsError(
          "InvalidAction",
          `Could not find operation ${action} for version ${params.get("Version") ?? STS_VERSION}`,
        ),
      );
    }
    const p = stsParams(params);
    const facts: CallFacts = {};
    const callInfo = { roleArn: p.RoleArn, principalArn: p.PrincipalArn };
    try {
      const out = await assumeRoleWithSaml(
        p,
        { config, metadata, state, now, region, endpointRegion: endpointRegion(req, url) },
        facts,
      );
      const s = out.session;
      record({
        ...base,
        ...callInfo,
        httpStatus: 200,
        outcome: "ok",
        durationSeconds: facts.durationSeconds,
        recipient: facts.recipient,
        assertionId: out.assertionId,
        replay: out.replay,
        signedElement: out.signedElement,
        signatureAlgorithm: out.signatureAlgorithm,
        assumedRoleArn: s.assumedRoleArn,
        roleSessionName: s.roleSessionName,
        sourceIdentity: s.sourceIdentity,
        sessionTags: s.tags,
        accessKeyId: s.accessKeyId,
        expiration: awsTimestamp(s.expiration),
      });
      send(res, 200, xmlHeaders, renderAssumeRoleWithSamlResponse(out.result, requestId));
    } catch (err) {
      if (err instanceof StsError) return fail(err, facts, callInfo);
      throw err;
    }
  }

  async function handleFederation(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const now = clock();
    state.sweep(now);
    const { params } = await requestParams(req, url);
    const result = federation(params, state, now, baseUrl!);
    record({
      at: now.toISOString(),
      action: `federation:${params.get("Action") ?? "(none)"}`,
      requestId: newRequestId(),
      region: endpointRegion(req, url),
      httpStatus: result.status,
      outcome: result.outcome,
      accessKeyId: result.session?.accessKeyId,
      assumedRoleArn: result.session?.assumedRoleArn,
      destination: result.destination,
      issuer: result.issuer,
    });
    send(res, result.status, result.headers, result.body);
  }

  function handleConsole(req: IncomingMessage, res: ServerResponse): void {
    const now = clock();
    state.sweep(now);
    const id = parseCookies(req.headers.cookie).get(CONSOLE_COOKIE);
    const session = id === undefined ? undefined : state.consoleSessions.get(id);
    const headers = { "content-type": "text/html;charset=utf-8", "cache-control": "no-store" };
    if (!session || session.expiresAt <= now) {
      send(res, 401, headers, renderNotSignedIn());
      return;
    }
    send(res, 200, headers, renderConsole(session));
  }

  /** A request to a region told to fail: recorded, then refused, left hanging or answered 503. */
  function fail(region: string, mode: RegionFaultMode, req: IncomingMessage, res: ServerResponse, pathname: string) {
    const requestId = newRequestId();
    record({
      at: clock().toISOString(),
      action: "fault",
      requestId,
      httpStatus: mode === "503" ? 503 : 0,
      outcome: `fault:${mode}`,
      message: `${req.method ?? "GET"} ${pathname} in ${region}`,
      region,
    });
    if (mode === "refuse") return faults.refuse(req);
    if (mode === "hang") return faults.hang(region, req, res);
    req.resume();
    if (pathname === "/") {
      const e = new StsError("ServiceUnavailable", "The request has failed due to a temporary failure of the server.");
      return send(
        res,
        503,
        { "content-type": "text/xml", "x-amzn-RequestId": requestId },
        renderStsError(e, requestId),
      );
    }
    send(res, 503, { "content-type": "text/plain" }, "Service Unavailable\n");
  }

  async function setFault(req: IncomingMessage, res: ServerResponse, region: string): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)).toString("utf8"));
    } catch {
      body = undefined;
    }
    const parsed = regionFaultBodySchema.safeParse(body);
    if (!regionRegex.test(region) || !parsed.success) {
      const error = `POST /_sandbox/regions/<region>/fault with {"mode": "refuse" | "hang" | "503" | "none", "service"?: "sts" | "signin"}`;
      return send(res, 400, { "content-type": "application/json" }, JSON.stringify({ error }));
    }
    faults.set(region, parsed.data.mode, parsed.data.service);
    log(`region ${region}: fault ${parsed.data.mode}${parsed.data.service ? ` (${parsed.data.service} only)` : ""}`);
    send(res, 200, { "content-type": "application/json" }, JSON.stringify({ region, ...parsed.data }));
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    const segments = url.pathname.split("/").filter(Boolean);
    // An optional /<region> prefix selects the region (see requestRegion).
    if (segments.length > 0 && regionRegex.test(segments[0]!)) segments.shift();
    const pathname = `/${segments.join("/")}`;
    const method = req.method ?? "GET";

    const control = pathname.startsWith("/_sandbox/") || pathname === "/healthz";
    const region = control ? undefined : endpointRegion(req, url);
    const mode = faults.modeOf(region, pathname === "/federation" ? "signin" : "sts");
    if (region !== undefined && mode !== undefined) return fail(region, mode, req, res, pathname);
    const faultPath = /^\/_sandbox\/regions\/([^/]+)\/fault$/.exec(pathname);
    if (faultPath && method === "POST") return setFault(req, res, faultPath[1]!);
    if (pathname === "/_sandbox/regions" && method === "GET") {
      return send(res, 200, { "content-type": "application/json" }, JSON.stringify({ faults: faults.list() }));
    }

    if (pathname === "/" && (method === "POST" || (method === "GET" && url.searchParams.has("Action")))) {
      return handleSts(req, res, url);
    }
    if (pathname === "/federation" && (method === "GET" || method === "POST")) return handleFederation(req, res, url);
    if (pathname === "/console" && method === "GET") return handleConsole(req, res);
    if (pathname === "/healthz" && method === "GET") {
      return send(res, 200, { "content-type": "application/json" }, JSON.stringify({ status: "ok" }));
    }
    if (pathname === "/_sandbox/stats" && method === "GET") {
      return send(res, 200, { "content-type": "application/json" }, JSON.stringify(state.stats()));
    }
    if (pathname === "/_sandbox/calls") {
      if (method === "GET") return send(res, 200, { "content-type": "application/json" }, JSON.stringify(state.calls));
      if (method === "DELETE") {
        state.calls.length = 0;
        return send(res, 204, {}, "");
      }
    }
    send(res, 404, { "content-type": "text/plain" }, "Not found\n");
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      log(`internal error: ${(err as Error)?.stack ?? String(err)}`);
      if (!res.headersSent) send(res, 500, { "content-type": "text/plain" }, "Internal sandbox error\n");
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4566, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  baseUrl ??= url;
  return {
    url,
    state,
    config,
    setRegionFault: (region, mode, service) => faults.set(region, mode, service),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// ---- CLI: npx tsx sandbox/server.ts [config.yaml] ---------------------------------------------------

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);
const cliEnvSchema = z.object({
  SANDBOX_CONFIG: z.preprocess(emptyAsUndefined, z.string().optional()),
  SANDBOX_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(4566)),
  SANDBOX_HOST: z.preprocess(emptyAsUndefined, z.string().default("127.0.0.1")),
  SANDBOX_BASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
});

async function main(): Promise<void> {
  const env = cliEnvSchema.safeParse(process.env);
  if (!env.success) {
    const issue = env.error.issues[0]!;
    console.error(`sandbox: bad environment variable ${issue.path.join(".")}: ${issue.message}`);
    process.exit(1);
  }
  const configPath = process.argv[2] ?? env.data.SANDBOX_CONFIG;
  if (!configPath) {
    console.error("usage: npx tsx sandbox/server.ts <config.yaml>   (or set SANDBOX_CONFIG)");
    process.exit(1);
  }
  let config: SandboxConfig;
  try {
    config = loadSandboxConfigFile(configPath);
  } catch (err) {
    if (err instanceof SandboxConfigError) {
      console.error(`sandbox: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const port = env.data.SANDBOX_PORT;
  const sandbox = await startSandbox(config, {
    port,
    host: env.data.SANDBOX_HOST,
    baseUrl: env.data.SANDBOX_BASE_URL ?? `http://127.0.0.1:${port}`,
    log: (line) => console.log(`[sandbox] ${line}`),
  });
  console.log(
    `[sandbox] AWS sandbox on ${sandbox.url}: STS POST /, federation /federation, console /console ` +
      `(${config.samlProviders.length} SAML provider(s), ${config.roles.length} role(s))`,
  );
  const stop = () => {
    void sandbox.close().finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

const invokedDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
