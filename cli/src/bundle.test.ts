import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildCli } from "../build";
import { PROD_READONLY, startFakeJetway, type FakeJetway } from "@/test/support/cli/fake-jetway";

const AWS_CLI = "/usr/bin/aws";

/** Runs a program without blocking the event loop (the fake Jetway answers from this process). */
function runProgram(
  file: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: env as NodeJS.ProcessEnv, timeout: 60_000, encoding: "utf8" },
      (error, stdout, stderr) => {
        resolve({ code: error ? (((error as { code?: unknown }).code as number) ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A loopback URL where nothing listens (a port just freed). */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/**
 * The built file itself: one ESM file that needs nothing but Node, run as a real process, and the
 * real AWS CLI v2 running its credential_process profile (when /usr/bin/aws is installed).
 */
describe("cli/dist/jetway.mjs as built", () => {
  let dir: string;
  let bundle: string;
  let jetway: FakeJetway;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "jetway-bundle-"));
    bundle = await buildCli(path.join(dir, "bin dir", "jetway.mjs"));
    jetway = await startFakeJetway([PROD_READONLY]);
    jetway.deviceInterval = 0;
    env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: path.join(dir, "home"),
      AWS_CONFIG_FILE: path.join(dir, "home", ".aws", "config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "home", ".aws", "credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
    };
  });
  afterAll(async () => {
    await jetway.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("is one executable ESM file with the node shebang that imports only Node's built-ins", async () => {
    const text = await readFile(bundle, "utf8");
    expect(text.startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect((await stat(bundle)).mode & 0o111).toBe(0o111);
    const specifiers = [...text.matchAll(/^\s*import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/gm)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((s) => !s!.startsWith("node:"))).toEqual([]);
    expect(text).not.toMatch(/\brequire\(/);
    const help = await runProgram(bundle, ["--help"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Exit codes:");
  });

  it("signs in, configures a profile, and the real AWS CLI gets credentials through it (cached: one issue)", async () => {
    const login = await runProgram(process.execPath, [bundle, "login", "--url", jetway.url, "--no-browser"], env);
    expect(login.stderr).toContain("BCDF-GHJK");
    expect(login.code).toBe(0);
    const configure = await runProgram(process.execPath, [bundle, "configure"], env);
    expect(configure.code).toBe(0);
    const config = await readFile(env.AWS_CONFIG_FILE!, "utf8");
    expect(config).toContain(
      `credential_process = ${process.execPath} '${bundle}' credentials --url ${jetway.url} --account prod --role ReadOnly`,
    );

    if (!existsSync(AWS_CLI)) {
      console.warn(`${AWS_CLI} is not installed (apt-get install -y awscli): skipping the AWS CLI half of this test`);
      return;
    }
    const exportCredentials = () =>
      runProgram(
        AWS_CLI,
        ["configure", "export-credentials", "--profile", "jetway-prod-ReadOnly", "--format", "process"],
        env,
      );
    const first = await exportCredentials();
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const credentials = JSON.parse(first.stdout);
    expect(credentials).toMatchObject({
      Version: 1,
      AccessKeyId: "ASIAFAKE000000000001",
      SessionToken: "session-token-1",
    });
    const second = await exportCredentials();
    expect(JSON.parse(second.stdout)).toEqual(credentials);
    expect(jetway.issued).toBe(1);

    // Revoked on the server: the AWS CLI's next command fails with jetway's sentence.
    jetway.revokeAll();
    const third = await exportCredentials();
    expect(third.code).not.toBe(0);
    expect(third.stdout).toBe("");
    expect(third.stderr).toContain("Your Jetway sign-in has expired or was revoked: run `jetway login`.");
  });

  it("a revoked token as a process: exit 2, one sentence, no stack trace; an unreachable server: exit 4 naming the URL", async () => {
    jetway.revokeAll();
    const revoked = await runProgram(process.execPath, [bundle, "roles", "--url", jetway.url], env);
    expect(revoked.code).toBe(2);
    expect(revoked.stderr).toBe("jetway: Your Jetway sign-in has expired or was revoked: run `jetway login`.\n");
    const closed = await closedPortUrl();
    const down = await runProgram(process.execPath, [bundle, "roles", "--url", closed], env);
    expect(down.code).toBe(2); // no sign-in for that URL: checked before any network call
    expect(down.stderr).toBe(`jetway: You are not signed in to ${closed}: run \`jetway login --url ${closed}\`.\n`);
    const login = await runProgram(process.execPath, [bundle, "login", "--url", closed], env);
    expect(login.code).toBe(4);
    expect(login.stderr).toBe(`jetway: Could not reach Jetway at ${closed}: connection refused.\n`);
    expect(login.stderr).not.toMatch(/\n\s+at /);
  });
});
