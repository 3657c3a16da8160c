import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { makeTestCli, type TestCli } from "@/test/support/cli/test-context";
import { CliError, EXIT } from "./errors";
import { deploymentFileStem } from "./paths";
import { normalizeServerUrl } from "./server-url";
import { requireSignIn, resolveServerUrl, saveSignIn } from "./token-store";

describe("sign-in store", () => {
  let cli: TestCli;
  beforeEach(async () => {
    cli = await makeTestCli();
  });
  afterEach(() => cli.cleanup());

  it("saves {url, token, expiresAt} in a 0600 file in a 0700 ~/.config/jetway, and remembers the URL as the default", async () => {
    const signIn = {
      url: "https://jetway.example.com",
      token: "t0k3n",
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    };
    await saveSignIn(cli.ctx, signIn);
    const dir = path.join(cli.home, ".config", "jetway");
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(deploymentFileStem(signIn.url)).toMatch(/^jetway\.example\.com-[0-9a-f]{12}$/);
    const file = path.join(dir, "sessions", `${deploymentFileStem(signIn.url)}.json`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual(signIn);
    expect((await stat(path.join(dir, "config.json"))).mode & 0o777).toBe(0o600);
    expect(await resolveServerUrl(cli.ctx, undefined)).toEqual({ url: signIn.url, isDefault: true });
    expect(await requireSignIn(cli.ctx, signIn.url, "jetway login")).toEqual(signIn);
  });

  it("honours XDG_CONFIG_HOME, and --url before JETWAY_URL before the saved default", async () => {
    cli.ctx.env.XDG_CONFIG_HOME = path.join(cli.home, "xdg");
    await saveSignIn(cli.ctx, {
      url: "https://a.example.com",
      token: "t",
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    expect((await stat(path.join(cli.home, "xdg", "jetway", "config.json"))).isFile()).toBe(true);
    // credential_process lines name the URL: the saved default's is still a bare `jetway login`.
    expect(await resolveServerUrl(cli.ctx, "https://a.example.com/")).toEqual({
      url: "https://a.example.com",
      isDefault: true,
    });
    cli.ctx.env.JETWAY_URL = "https://b.example.com/";
    expect(await resolveServerUrl(cli.ctx, undefined)).toEqual({ url: "https://b.example.com", isDefault: true });
    expect(await resolveServerUrl(cli.ctx, "https://a.example.com")).toEqual({
      url: "https://a.example.com",
      isDefault: false,
    });
    expect(await resolveServerUrl(cli.ctx, "https://c.example.com/jetway/")).toEqual({
      url: "https://c.example.com/jetway",
      isDefault: false,
    });
  });

  it("an expired, missing or unreadable sign-in is exit 2 with one sentence naming the login command", async () => {
    const url = "https://jetway.example.com";
    const expectSignIn = async (message: string) => {
      const error = await requireSignIn(cli.ctx, url, `jetway login --url ${url}`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(EXIT.signIn);
      expect((error as CliError).message).toBe(message);
    };
    await expectSignIn(`You are not signed in to ${url}: run \`jetway login --url ${url}\`.`);
    await saveSignIn(cli.ctx, { url, token: "t", expiresAt: new Date(Date.now() - 1000).toISOString() });
    await expectSignIn(`Your Jetway sign-in has expired or was revoked: run \`jetway login --url ${url}\`.`);
    await writeFile(
      path.join(cli.home, ".config", "jetway", "sessions", `${deploymentFileStem(url)}.json`),
      "{not json",
    );
    await expectSignIn(`The saved sign-in for ${url} is unreadable: run \`jetway login --url ${url}\`.`);
  });
});

describe("Jetway URLs", () => {
  it("are canonical (no trailing slash) and https, or http on loopback only", () => {
    expect(normalizeServerUrl("https://Jetway.Example.com/")).toBe("https://jetway.example.com");
    expect(normalizeServerUrl("http://127.0.0.1:3000")).toBe("http://127.0.0.1:3000");
    expect(normalizeServerUrl("http://localhost:3000/")).toBe("http://localhost:3000");
    expect(() => normalizeServerUrl("http://jetway.example.com")).toThrow("uses plain http");
    expect(() => normalizeServerUrl("jetway.example.com")).toThrow("is not a URL");
    expect(() => normalizeServerUrl("ftp://jetway.example.com")).toThrow("is not an http(s) URL");
    expect(() => normalizeServerUrl("https://jetway.example.com/?next=/")).toThrow("without a user, query or fragment");
  });
});
