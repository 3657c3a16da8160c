import { z } from "zod";
import { LOG_LEVELS, PORT_RANGE, WORKERS_RANGE } from "./env-early";

// What is read before (or without) the whole environment lives in lib/env-early.ts, without zod.
export {
  defaultToDevelopmentMode,
  defaultToProductionMode,
  getLogLevel,
  nodeOptions,
  type LogLevel,
} from "./env-early";

/**
 * Jetway's environment, parsed once. Nothing else reads process.env (tests pass their own
 * source to parseEnv). A bad value stops the process with a message naming the variable.
 */
const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), "must be an http:// or https:// URL");

/** An endpoint URL that may hold `{region}` (checked with a region name in its place). */
const endpointTemplate = z
  .string()
  .refine((u) => httpUrl.safeParse(u.replaceAll("{region}", "us-east-1")).success, "must be an http:// or https:// URL")
  .refine((u) => !/[{}]/.test(u.replaceAll("{region}", "")), "the only placeholder is {region}");

export const envSchema = z.object({
  JETWAY_BASE_URL: z.preprocess(
    emptyAsUndefined,
    httpUrl
      .refine((u) => {
        const parsed = new URL(u);
        return !parsed.search && !parsed.hash;
      }, "must not carry a query or fragment")
      .transform((u) => u.replace(/\/+$/, "")),
  ),
  JETWAY_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 48)"),
  ),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default("file:./data/jetway.db")
      .refine(
        (u) => u.startsWith("file:") || /^postgres(ql)?:\/\//.test(u),
        "must be file:<path> (SQLite) or postgresql://… (PostgreSQL)",
      ),
  ),
  JETWAY_CONFIG: z.preprocess(emptyAsUndefined, z.string().optional()),
  PORT: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(PORT_RANGE.min).max(PORT_RANGE.max).default(PORT_RANGE.default),
  ),
  /** Optional PEM files for the AWS-side signing key; otherwise Jetway generates and stores one. */
  JETWAY_AWS_SIGNING_KEY_FILE: z.preprocess(emptyAsUndefined, z.string().optional()),
  JETWAY_AWS_SIGNING_CERT_FILE: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** `{region}` stands for each region's name (one sandbox serving several regions: lib/aws/regional-endpoints.ts). */
  JETWAY_STS_ENDPOINT: z.preprocess(emptyAsUndefined, endpointTemplate.optional()),
  JETWAY_SIGNIN_ENDPOINT: z.preprocess(emptyAsUndefined, endpointTemplate.optional()),
  /**
   * The most one region's STS call (retries included), or sign-in endpoint call, may take before
   * the next region is tried (lib/aws/regional-failover.ts).
   */
  JETWAY_STS_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(60_000).default(3000)),
  /** Consecutive outages (connection error, timeout, 5xx) that open an AWS endpoint's circuit breaker. */
  JETWAY_STS_BREAKER_FAILURES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100).default(3)),
  /** Seconds an open breaker skips its endpoint before one trial call. */
  JETWAY_STS_BREAKER_COOLDOWN_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(3600).default(30),
  ),
  /** Upper bound of a Jetway session in seconds; the IdP's SessionNotOnOrAfter may shorten it. */
  JETWAY_SESSION_MAX_AGE: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(300)
      .max(7 * 24 * 3600)
      .default(8 * 3600),
  ),
  /** Cap on the ACS request body, in bytes, checked before any parsing. */
  JETWAY_MAX_SAML_BYTES: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(4096)
      .max(10 * 1024 * 1024)
      .default(256 * 1024),
  ),
  JETWAY_LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(LOG_LEVELS).default("info")),
  /**
   * Requests per minute and client address to each sign-in endpoint (/api/saml/acs, /login,
   * /login/start), counted in the database so that every replica shares one budget. 0 turns it off.
   */
  JETWAY_RATE_LIMIT_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(100_000).default(60)),
  /** The same for console deep links (/go/...). 0 turns it off. */
  JETWAY_RATE_LIMIT_GO_PER_MINUTE: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(100_000).default(120),
  ),
  /** Requests per minute and CLI token to POST /api/cli/credentials (each may call STS). 0 turns it off. */
  JETWAY_RATE_LIMIT_CLI_PER_MINUTE: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(100_000).default(60),
  ),
  /**
   * Hours between reads of each IdP's metadataUrl (new and retired signing certificates, changed
   * endpoints), also read once at start. Replicas share the work through the database. 0 turns it off.
   */
  JETWAY_METADATA_REFRESH_HOURS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(0)
      .max(24 * 7)
      .default(6),
  ),
  /**
   * Reverse proxies in front of Jetway that append to X-Forwarded-For (a load balancer: 1). The
   * client address is that many entries from the right; entries further left are the client's own
   * claims and are never trusted.
   */
  JETWAY_TRUSTED_PROXY_HOPS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(10).default(1)),
  /**
   * Events waiting in the audit outbox (not yet delivered to every sink) above which /api/health
   * and the readiness check report a warning (the answer stays 200: a SIEM being down must not take
   * Jetway out of its load balancer). 0 turns the warning off.
   */
  JETWAY_OUTBOX_WARN_EVENTS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(1_000_000_000).default(10_000),
  ),
  /**
   * Processes serving Jetway on its port (server/main.ts): a supervisor and this many workers.
   * Default: one per core (os.availableParallelism()); 1 serves from a single process.
   */
  JETWAY_WORKERS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(WORKERS_RANGE.min).max(WORKERS_RANGE.max).optional(),
  ),
});

export type Env = z.infer<typeof envSchema> & {
  /** Both PEM files of the AWS-side signing key, when supplied. */
  awsKeyFiles?: { keyFile: string; certFile: string };
  /** Derived: true when the base URL is https (cookies are then Secure). */
  secureCookies: boolean;
  databaseProvider: "sqlite" | "postgresql";
};

export class EnvError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid environment:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "(environment)"}: ${issue.message}`),
    );
  }
  const data = result.data;
  const keyFile = data.JETWAY_AWS_SIGNING_KEY_FILE;
  const certFile = data.JETWAY_AWS_SIGNING_CERT_FILE;
  if ((keyFile === undefined) !== (certFile === undefined)) {
    throw new EnvError(["JETWAY_AWS_SIGNING_KEY_FILE and JETWAY_AWS_SIGNING_CERT_FILE: set both, or neither"]);
  }
  return {
    awsKeyFiles: keyFile && certFile ? { keyFile, certFile } : undefined,
    ...data,
    secureCookies: data.JETWAY_BASE_URL.startsWith("https://"),
    databaseProvider: data.DATABASE_URL.startsWith("file:") ? "sqlite" : "postgresql",
  };
}

let cached: Env | undefined;

/** The process environment, parsed on first use (never at import, so `next build` needs none). */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * A variable that the configuration names (an audit sink's secretEnv or tokenEnv), read when it is
 * used so that its value is never part of the parsed environment, the config or its export.
 * Undefined when unset or empty.
 */
export function readNamedVariable(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value.trim() === "" ? undefined : value;
}
