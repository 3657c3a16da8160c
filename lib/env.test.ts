import { afterEach, describe, expect, it, vi } from "vitest";
import { EnvError, getLogLevel, parseEnv } from "./env";

const good = { JETWAY_BASE_URL: "https://jetway.example.com/", JETWAY_SECRET: "x".repeat(32) };

describe("parseEnv", () => {
  it("fills defaults and derives the cookie and database settings", () => {
    const env = parseEnv(good);
    expect(env).toMatchObject({
      JETWAY_BASE_URL: "https://jetway.example.com",
      DATABASE_URL: "file:./data/jetway.db",
      PORT: 3000,
      JETWAY_SESSION_MAX_AGE: 28800,
      JETWAY_MAX_SAML_BYTES: 262144,
      JETWAY_METADATA_REFRESH_HOURS: 6,
      secureCookies: true,
      databaseProvider: "sqlite",
    });
    expect(
      parseEnv({ ...good, JETWAY_BASE_URL: "http://127.0.0.1:3000", DATABASE_URL: "postgresql://u@h/db" }),
    ).toMatchObject({
      secureCookies: false,
      databaseProvider: "postgresql",
    });
  });

  it.each([
    [{ JETWAY_SECRET: good.JETWAY_SECRET }, /JETWAY_BASE_URL/],
    [{ ...good, JETWAY_BASE_URL: "ftp://x" }, /JETWAY_BASE_URL: must be an http/],
    [{ ...good, JETWAY_BASE_URL: "https://x.example/?a=1" }, /JETWAY_BASE_URL: must not carry a query/],
    [{ ...good, JETWAY_SECRET: "short" }, /JETWAY_SECRET: must be at least 32 characters/],
    [{ ...good, JETWAY_SECRET: "" }, /JETWAY_SECRET/],
    [{ ...good, DATABASE_URL: "mysql://x" }, /DATABASE_URL: must be file:/],
    [{ ...good, JETWAY_METADATA_REFRESH_HOURS: "-1" }, /JETWAY_METADATA_REFRESH_HOURS/],
    [{ ...good, JETWAY_METADATA_REFRESH_HOURS: "1.5" }, /JETWAY_METADATA_REFRESH_HOURS/],
    [{ ...good, PORT: "http" }, /PORT/],
    [{ ...good, JETWAY_STS_ENDPOINT: "not a url" }, /JETWAY_STS_ENDPOINT/],
    [{ ...good, JETWAY_STS_ENDPOINT: "http://127.0.0.1:4566/{zone}" }, /JETWAY_STS_ENDPOINT: the only placeholder/],
    [{ ...good, JETWAY_SIGNIN_ENDPOINT: "ftp://{region}.example/federation" }, /JETWAY_SIGNIN_ENDPOINT/],
    [{ ...good, JETWAY_STS_TIMEOUT_MS: "50" }, /JETWAY_STS_TIMEOUT_MS/],
    [{ ...good, JETWAY_STS_BREAKER_FAILURES: "0" }, /JETWAY_STS_BREAKER_FAILURES/],
    [{ ...good, JETWAY_STS_BREAKER_COOLDOWN_SECONDS: "0.5" }, /JETWAY_STS_BREAKER_COOLDOWN_SECONDS/],
    [{ ...good, JETWAY_AWS_SIGNING_KEY_FILE: "/k.pem" }, /set both, or neither/],
    [{ ...good, JETWAY_RATE_LIMIT_PER_MINUTE: "-1" }, /JETWAY_RATE_LIMIT_PER_MINUTE/],
    [{ ...good, JETWAY_TRUSTED_PROXY_HOPS: "0" }, /JETWAY_TRUSTED_PROXY_HOPS/],
  ])("stops with a message naming the bad variable (%#)", (source, message) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    expect(() => parseEnv(source)).toThrow(message);
  });

  it("rate limits default to 60 (sign-in) and 120 (/go) per minute; 0 turns them off", () => {
    expect(parseEnv(good)).toMatchObject({
      JETWAY_RATE_LIMIT_PER_MINUTE: 60,
      JETWAY_RATE_LIMIT_GO_PER_MINUTE: 120,
      JETWAY_TRUSTED_PROXY_HOPS: 1,
    });
    expect(
      parseEnv({ ...good, JETWAY_RATE_LIMIT_PER_MINUTE: "0", JETWAY_RATE_LIMIT_GO_PER_MINUTE: "0" }),
    ).toMatchObject({
      JETWAY_RATE_LIMIT_PER_MINUTE: 0,
      JETWAY_RATE_LIMIT_GO_PER_MINUTE: 0,
    });
  });
});

describe("regional failover settings", () => {
  it("default to a 3 s timeout per region and a breaker that opens after 3 outages for 30 s", () => {
    expect(parseEnv(good)).toMatchObject({
      JETWAY_STS_TIMEOUT_MS: 3000,
      JETWAY_STS_BREAKER_FAILURES: 3,
      JETWAY_STS_BREAKER_COOLDOWN_SECONDS: 30,
    });
  });

  it("accept {region} in the endpoint overrides, kept as written", () => {
    const env = parseEnv({
      ...good,
      JETWAY_STS_ENDPOINT: "http://127.0.0.1:4566/{region}",
      JETWAY_SIGNIN_ENDPOINT: "http://127.0.0.1:4566/{region}/federation",
    });
    expect(env.JETWAY_STS_ENDPOINT).toBe("http://127.0.0.1:4566/{region}");
    expect(env.JETWAY_SIGNIN_ENDPOINT).toBe("http://127.0.0.1:4566/{region}/federation");
  });
});

describe("getLogLevel", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("follows JETWAY_LOG_LEVEL as it changes, without needing the rest of the environment", () => {
    vi.stubEnv("JETWAY_LOG_LEVEL", "debug");
    expect(getLogLevel()).toBe("debug");
    vi.stubEnv("JETWAY_LOG_LEVEL", "error");
    expect(getLogLevel()).toBe("error");
  });

  it("means info when unset, empty or unknown (getEnv names a bad value at start)", async () => {
    vi.stubEnv("JETWAY_LOG_LEVEL", undefined);
    vi.resetModules();
    const fresh = await import("./env");
    expect(fresh.getLogLevel()).toBe("info");
    for (const value of [undefined, "", "  ", "verbose"]) {
      vi.stubEnv("JETWAY_LOG_LEVEL", value);
      expect(getLogLevel()).toBe("info");
    }
  });
});
