import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { makeTestCli, type TestCli } from "@/test/support/cli/test-context";
import {
  REFRESH_BEFORE_EXPIRY_MS,
  clearCredentialCache,
  isFresh,
  readCachedCredentials,
  writeCachedCredentials,
  type AwsCredentials,
  type CacheKey,
} from "./credential-cache";

const NOW = Date.parse("2026-11-30T10:00:00Z");
const credentialsExpiringAt = (iso: string): AwsCredentials => ({
  Version: 1,
  AccessKeyId: "ASIAEXAMPLE",
  SecretAccessKey: "secret",
  SessionToken: "token",
  Expiration: iso,
});
const key: CacheKey = { url: "https://jetway.example.com", account: "prod", role: "ReadOnly", durationSeconds: null };

describe("credential cache", () => {
  let cli: TestCli;
  beforeEach(async () => {
    cli = await makeTestCli();
    cli.ctx.now = () => NOW;
  });
  afterEach(() => cli.cleanup());

  it("hands credentials out until 5 minutes before they expire, not after", () => {
    const expiry = NOW + REFRESH_BEFORE_EXPIRY_MS;
    expect(REFRESH_BEFORE_EXPIRY_MS).toBe(300_000);
    expect(isFresh(credentialsExpiringAt(new Date(expiry + 1000).toISOString()), NOW)).toBe(true);
    expect(isFresh(credentialsExpiringAt(new Date(expiry).toISOString()), NOW)).toBe(false);
    expect(isFresh(credentialsExpiringAt(new Date(NOW - 1).toISOString()), NOW)).toBe(false);
    // AWS writes offsets too: 10:06+00:00 is fresh at 10:00, 11:06+01:00 (the same instant) as well.
    expect(isFresh(credentialsExpiringAt("2026-11-30T11:06:00+01:00"), NOW)).toBe(true);
  });

  it("reads back what it wrote for the same sign-in only, in a 0600 file in a 0700 directory under XDG_CACHE_HOME", async () => {
    cli.ctx.env.XDG_CACHE_HOME = path.join(cli.home, "xdg-cache");
    const fresh = credentialsExpiringAt(new Date(NOW + 3600_000).toISOString());
    await writeCachedCredentials(cli.ctx, key, "token-a", fresh);
    expect(await readCachedCredentials(cli.ctx, key, "token-a")).toEqual(fresh);
    // Another login (maybe another person) must never see them.
    expect(await readCachedCredentials(cli.ctx, key, "token-b")).toBeUndefined();
    // Another role, account, duration or deployment is another entry.
    expect(await readCachedCredentials(cli.ctx, { ...key, role: "Admin" }, "token-a")).toBeUndefined();
    expect(await readCachedCredentials(cli.ctx, { ...key, durationSeconds: 900 }, "token-a")).toBeUndefined();
    expect(
      await readCachedCredentials(cli.ctx, { ...key, url: "https://other.example.com" }, "token-a"),
    ).toBeUndefined();

    const dir = path.join(cli.home, "xdg-cache", "jetway", "credentials");
    const [file] = await readdir(dir);
    expect((await stat(path.join(dir, file!))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(cli.home, "xdg-cache", "jetway"))).mode & 0o777).toBe(0o700);

    // Near expiry it is no longer served.
    cli.ctx.now = () => NOW + 3600_000 - REFRESH_BEFORE_EXPIRY_MS;
    expect(await readCachedCredentials(cli.ctx, key, "token-a")).toBeUndefined();
  });

  it("falls back to ~/.cache/jetway (a relative XDG_CACHE_HOME is ignored, as the spec says) and clears one deployment at a time", async () => {
    cli.ctx.env.XDG_CACHE_HOME = "relative/dir";
    const fresh = credentialsExpiringAt(new Date(NOW + 3600_000).toISOString());
    const other = { ...key, url: "https://other.example.com" };
    await writeCachedCredentials(cli.ctx, key, "t", fresh);
    await writeCachedCredentials(cli.ctx, other, "t", fresh);
    expect(await readdir(path.join(cli.home, ".cache", "jetway", "credentials"))).toHaveLength(2);
    await clearCredentialCache(cli.ctx, key.url);
    expect(await readCachedCredentials(cli.ctx, key, "t")).toBeUndefined();
    expect(await readCachedCredentials(cli.ctx, other, "t")).toEqual(fresh);
  });
});
