import { readFile, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { DEV_ADMIN, PROD_READONLY, startFakeJetway, type FakeJetway } from "@/test/support/cli/fake-jetway";
import { makeTestCli, type TestCli } from "@/test/support/cli/test-context";
import { EXIT } from "./errors";
import { deploymentFileStem } from "./paths";

const SIGN_IN_AGAIN = "Your Jetway sign-in has expired or was revoked: run `jetway login`.";

describe("jetway against a fake Jetway (real HTTP on 127.0.0.1)", () => {
  let jetway: FakeJetway;
  let cli: TestCli;
  beforeEach(async () => {
    jetway = await startFakeJetway([PROD_READONLY, DEV_ADMIN]);
    cli = await makeTestCli();
  });
  afterEach(async () => {
    await jetway.close();
    await cli.cleanup();
  });

  const signedIn = async () => {
    expect(await cli.run("login", "--url", jetway.url)).toBe(EXIT.ok);
  };
  const issuedToken = () => [...jetway.liveTokens][0]!;

  describe("login", () => {
    it("runs the device flow: sends the client's details, shows the page and code, waits interval and slow_down, saves the token 0600", async () => {
      jetway.tokenAnswers = ["authorization_pending", "slow_down", "authorization_pending", "ok"];
      expect(await cli.run("login", "--url", `${jetway.url}/`)).toBe(EXIT.ok);

      const authorize = jetway.requests.find((r) => r.path === "/api/cli/device/authorize")!;
      const form = Object.fromEntries(new URLSearchParams(authorize.body));
      expect(form).toMatchObject({ client_id: "jetway-cli", hostname: "laptop-7", os_user: "ada" });
      expect(form.cli_version).toMatch(/^\d+\.\d+\.\d+/);
      expect(authorize.userAgent).toBe(`jetway-cli/${form.cli_version} node/${process.versions.node}`);
      expect(cli.err).toContain(`${jetway.url}/device?user_code=BCDF-GHJK`);
      expect(cli.err).toContain("check that it shows the code BCDF-GHJK");
      expect(cli.opened).toEqual([`${jetway.url}/device?user_code=BCDF-GHJK`]);
      // RFC 8628 §3.5: wait `interval` between polls; slow_down adds 5 s for this and every later poll.
      expect(cli.sleeps).toEqual([5000, 5000, 10_000, 10_000]);
      const polls = jetway.requests
        .filter((r) => r.path === "/api/cli/token")
        .map((r) => Object.fromEntries(new URLSearchParams(r.body)));
      expect(polls).toHaveLength(4);
      expect(polls[0]).toEqual({
        grant_type: "urn:ietf:params:oauth:grant-type:device_code",
        device_code: "device-code-1",
        client_id: "jetway-cli",
      });

      const file = path.join(cli.home, ".config", "jetway", "sessions", `${deploymentFileStem(jetway.url)}.json`);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const saved = JSON.parse(await readFile(file, "utf8"));
      expect(saved).toEqual({ url: jetway.url, token: issuedToken(), expiresAt: expect.any(String) });
      expect(Date.parse(saved.expiresAt) - Date.now()).toBeGreaterThan(8 * 3600_000 - 60_000);
      expect(cli.err).toContain(`Signed in to ${jetway.url} until`);
      expect(cli.out + cli.err).not.toContain(issuedToken());
    });

    it("keeps the longer interval when slow_down names one", async () => {
      jetway.tokenAnswers = ["slow_down", "ok"];
      jetway.slowDownInterval = 15;
      expect(await cli.run("login", "--url", jetway.url)).toBe(EXIT.ok);
      expect(cli.sleeps).toEqual([5000, 15_000]);
    });

    it("uses 5 s when the server names no interval, and --no-browser opens nothing", async () => {
      jetway.deviceInterval = undefined;
      jetway.tokenAnswers = ["authorization_pending", "ok"];
      expect(await cli.run("login", "--url", jetway.url, "--no-browser")).toBe(EXIT.ok);
      expect(cli.sleeps).toEqual([5000, 5000]);
      expect(cli.opened).toEqual([]);
      expect(cli.err).toContain("Waiting for approval");
    });

    it("denied in the browser: exit 3, nothing saved", async () => {
      jetway.tokenAnswers = ["authorization_pending", "access_denied"];
      expect(await cli.run("login", "--url", jetway.url)).toBe(EXIT.refused);
      expect(cli.err.endsWith("\njetway: The sign-in was denied in the browser: nothing was saved.\n")).toBe(true);
      expect(await cli.run("roles", "--url", jetway.url)).toBe(EXIT.signIn);
    });

    it("the code expires (server's expired_token, or the local clock past expires_in): exit 2 and the sentence", async () => {
      jetway.tokenAnswers = ["expired_token"];
      expect(await cli.run("login", "--url", jetway.url)).toBe(EXIT.signIn);
      expect(
        cli.err.endsWith(
          `\njetway: The code expired before it was approved: run \`jetway login --url ${jetway.url}\` again.\n`,
        ),
      ).toBe(true);

      jetway.tokenAnswers = ["authorization_pending"];
      jetway.deviceExpiresIn = 12;
      const started = Date.now();
      let clock = started;
      cli.ctx.now = () => clock;
      cli.ctx.sleep = async (ms) => void (clock += ms);
      expect(await cli.run("login", "--url", jetway.url)).toBe(EXIT.signIn);
      // Polled at 5 s and 10 s, then the 15 s mark is past expires_in: no third poll.
      expect(jetway.requests.filter((r) => r.path === "/api/cli/token")).toHaveLength(1 + 2);
    });

    it("without any URL it asks for one (usage, exit 1)", async () => {
      expect(await cli.run("login")).toBe(EXIT.usage);
      expect(cli.err).toContain("Which Jetway? Run `jetway login --url https://jetway.example.com`");
    });
  });

  describe("roles", () => {
    it("prints a table, or JSON with --json, sorted by alias and role; the default URL is the last login", async () => {
      await signedIn();
      expect(await cli.run("roles")).toBe(EXIT.ok);
      expect(cli.out).toBe(
        "ACCOUNT       ALIAS  ROLE      LABEL                 MAX DURATION\n" +
          "222222222222  dev    Admin                           1 h 30 min\n" +
          "111111111111  prod   ReadOnly  Production read-only  1 h\n",
      );
      expect(jetway.requests.at(-1)!.authorization).toBe(`Bearer ${issuedToken()}`);
      expect(await cli.run("roles", "--json")).toBe(EXIT.ok);
      expect(JSON.parse(cli.out)).toEqual([DEV_ADMIN, PROD_READONLY]);
    });
  });

  describe("credentials", () => {
    it("prints the credential_process JSON and serves the cache (0600) after: one issue per role, each call still checked", async () => {
      await signedIn();
      expect(await cli.run("credentials", "--account", "prod", "--role", "ReadOnly")).toBe(EXIT.ok);
      const first = JSON.parse(cli.out);
      expect(Object.keys(first)).toEqual(["Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"]);
      expect(first.Version).toBe(1);
      expect(cli.err).toBe("");
      expect(await cli.run("credentials", "--account", "prod", "--role", "ReadOnly")).toBe(EXIT.ok);
      expect(JSON.parse(cli.out)).toEqual(first);
      expect(jetway.issued).toBe(1);
      // The cache hit asked Jetway whether the sign-in and the grant still hold (no AWS call).
      expect(jetway.requests.at(-1)!.path).toBe("/api/cli/roles");

      const dir = path.join(cli.home, ".cache", "jetway", "credentials");
      const files = await readdir(dir);
      expect(files).toHaveLength(1);
      expect((await stat(path.join(dir, files[0]!))).mode & 0o777).toBe(0o600);

      // Another duration is another session; the request carries it.
      expect(await cli.run("credentials", "--account", "prod", "--role", "ReadOnly", "--duration", "1h30m")).toBe(
        EXIT.ok,
      );
      expect(jetway.issued).toBe(2);
      expect(JSON.parse(jetway.requests.at(-1)!.body)).toEqual({
        account: "prod",
        role: "ReadOnly",
        durationSeconds: 5400,
      });
    });

    it("says Jetway's note (e.g. a shortened duration) on stderr when it fetches, and keeps stdout the JSON alone", async () => {
      jetway.credentialsNote = "The session lasts 1 h, the role's maximum, not the 2 h asked for.";
      await signedIn();
      expect(await cli.run("credentials", "--account", "prod", "--role", "ReadOnly", "--duration", "2h")).toBe(EXIT.ok);
      expect(JSON.parse(cli.out).Version).toBe(1);
      expect(cli.err).toBe("jetway: The session lasts 1 h, the role's maximum, not the 2 h asked for.\n");
    });

    it("fetches new credentials once the cached ones are within 5 minutes of expiry", async () => {
      jetway.credentialLifetimeSeconds = 900;
      await signedIn();
      expect(await cli.run("credentials", "--account", "prod", "--role", "ReadOnly")).toBe(EXIT.ok);
      cli.ctx.now = () => Date.now() + 10 * 60_000 + 1000;
      expect(await cli.run("credentials", "--account", "prod", "--role", "ReadOnly")).toBe(EXIT.ok);
      expect(jetway.issued).toBe(2);
    });

    it("a token revoked on the server: the next call, even with fresh cached credentials, is exit 2 with one sentence, and the cache is gone", async () => {
      await signedIn();
      expect(await cli.run("credentials", "--account", "prod", "--role", "ReadOnly")).toBe(EXIT.ok);
      jetway.revokeAll();
      expect(await cli.run("credentials", "--account", "prod", "--role", "ReadOnly")).toBe(EXIT.signIn);
      expect(cli.out).toBe("");
      expect(cli.err).toBe(`jetway: ${SIGN_IN_AGAIN}\n`);
      expect(await readdir(path.join(cli.home, ".cache", "jetway", "credentials"))).toEqual([]);
      // Without a cache entry the credentials endpoint answers 401 itself: the same.
      expect(await cli.run("credentials", "--account", "dev", "--role", "Admin")).toBe(EXIT.signIn);
      expect(cli.err).toBe(`jetway: ${SIGN_IN_AGAIN}\n`);
    });

    it("a role not granted: exit 3 with Jetway's sentence and no credentials; a grant removed later stops the cached ones too", async () => {
      await signedIn();
      expect(await cli.run("credentials", "--account", "prod", "--role", "Admin")).toBe(EXIT.refused);
      expect(cli.out).toBe("");
      expect(cli.err).toBe("jetway: None of your groups grants role Admin in account prod. (reference JW-TESTREF1)\n");

      expect(await cli.run("credentials", "--account", "111111111111", "--role", "ReadOnly")).toBe(EXIT.ok);
      jetway.roles = [DEV_ADMIN];
      expect(await cli.run("credentials", "--account", "111111111111", "--role", "ReadOnly")).toBe(EXIT.refused);
      expect(cli.out).toBe("");
      expect(cli.err).toContain("You no longer have role ReadOnly in account 111111111111");
    });

    it("Jetway unreachable: exit 4 naming the URL; with fresh cached credentials those still serve, with a note", async () => {
      await signedIn();
      expect(await cli.run("credentials", "--account", "prod", "--role", "ReadOnly")).toBe(EXIT.ok);
      const cached = cli.out;
      const url = jetway.url;
      await jetway.close();
      expect(await cli.run("credentials", "--account", "prod", "--role", "ReadOnly")).toBe(EXIT.ok);
      expect(cli.out).toBe(cached);
      expect(cli.err).toContain(`Could not reach Jetway at ${url}: connection refused.`);
      expect(await cli.run("credentials", "--account", "dev", "--role", "Admin")).toBe(EXIT.network);
      expect(cli.err).toBe(`jetway: Could not reach Jetway at ${url}: connection refused.\n`);
      jetway = await startFakeJetway([]); // for afterEach
    });

    it("a failing server: exit 4 with the status; usage errors: exit 1", async () => {
      await signedIn();
      jetway.failWith = 502;
      expect(await cli.run("credentials", "--account", "prod", "--role", "ReadOnly")).toBe(EXIT.network);
      expect(cli.err).toBe(
        `jetway: Jetway at ${jetway.url} failed to answer /api/cli/credentials (HTTP 502): Something went wrong on our side.\n`,
      );
      expect(await cli.run("credentials", "--role", "ReadOnly")).toBe(EXIT.usage);
      expect(cli.err).toBe("jetway: `jetway credentials` needs --account: see `jetway credentials --help`.\n");
      expect(await cli.run("credentials", "--account", "prod", "--role", "R", "--duration", "5m")).toBe(EXIT.usage);
      expect(cli.err).toContain("outside AWS's limits");
      expect(await cli.run("credentials", "--account", "prod", "--role", "R", "--duration", "soon")).toBe(EXIT.usage);
      expect(await cli.run("credentials", "--acount", "prod")).toBe(EXIT.usage);
      expect(cli.err).toBe("jetway: Unknown option '--acount': see `jetway credentials --help`.\n");
      expect(await cli.run("frobnicate")).toBe(EXIT.usage);
    });

    it("not signed in at all: exit 2 telling how", async () => {
      expect(await cli.run("credentials", "--account", "prod", "--role", "ReadOnly")).toBe(EXIT.signIn);
      expect(cli.err).toContain("You are not signed in to any Jetway: run `jetway login --url");
    });
  });

  describe("env and console", () => {
    it("env prints export lines of the same (cached) credentials", async () => {
      await signedIn();
      expect(await cli.run("credentials", "--account", "prod", "--role", "ReadOnly")).toBe(EXIT.ok);
      const creds = JSON.parse(cli.out);
      expect(await cli.run("env", "--account", "prod", "--role", "ReadOnly")).toBe(EXIT.ok);
      expect(cli.out).toBe(
        `export AWS_ACCESS_KEY_ID=${creds.AccessKeyId}\nexport AWS_SECRET_ACCESS_KEY=${creds.SecretAccessKey}\n` +
          `export AWS_SESSION_TOKEN=${creds.SessionToken}\nexport AWS_CREDENTIAL_EXPIRATION=${creds.Expiration}\n`,
      );
      expect(jetway.issued).toBe(1);
    });

    it("console opens the /go link with the destination, and prints it", async () => {
      cli.ctx.env.JETWAY_URL = jetway.url;
      expect(
        await cli.run(
          "console",
          "--account",
          "prod",
          "--role",
          "ReadOnly",
          "--destination",
          "https://console.aws.amazon.com/s3/?region=eu-west-1",
        ),
      ).toBe(EXIT.ok);
      const link = `${jetway.url}/go/prod/ReadOnly?destination=${encodeURIComponent("https://console.aws.amazon.com/s3/?region=eu-west-1")}`;
      expect(cli.opened).toEqual([link]);
      expect(cli.out).toBe(`${link}\n`);
      expect(await cli.run("console", "--account", "prod", "--role", "ReadOnly", "--no-browser")).toBe(EXIT.ok);
      expect(cli.err).toContain("Open this link in a browser");
    });
  });

  describe("configure", () => {
    it("writes the managed block into AWS_CONFIG_FILE, keeps the rest, is idempotent, and --dry-run shows a diff and writes nothing", async () => {
      await signedIn();
      const file = path.join(cli.home, "aws", "config");
      cli.ctx.env.AWS_CONFIG_FILE = file;
      const mine = "[default]\nregion = us-east-1\n";
      await (await import("node:fs/promises")).mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, mine, { mode: 0o644 });

      expect(await cli.run("configure", "--dry-run")).toBe(EXIT.ok);
      expect(cli.out).toContain("+[profile jetway-prod-ReadOnly]\n");
      expect(await readFile(file, "utf8")).toBe(mine);

      expect(await cli.run("configure")).toBe(EXIT.ok);
      const written = await readFile(file, "utf8");
      expect(written.startsWith(`${mine}\n# >>> jetway ${jetway.url} >>>`)).toBe(true);
      expect(written).toContain(
        `credential_process = ${process.execPath} '/opt/jetway tools/jetway.mjs' credentials --url ${jetway.url} --account prod --role ReadOnly\nregion = eu-west-1\n`,
      );
      expect(cli.err).toContain("Wrote 2 profiles");
      expect((await stat(file)).mode & 0o777).toBe(0o644); // an existing file keeps its mode

      expect(await cli.run("configure")).toBe(EXIT.ok);
      expect(cli.err).toContain("already up to date");
      expect(await readFile(file, "utf8")).toBe(written);
      expect(await cli.run("configure", "--dry-run")).toBe(EXIT.ok);
      expect(cli.out).toBe("");

      expect(await cli.run("configure", "--prefix", "corp ")).toBe(EXIT.usage);
    });

    it("creates ~/.aws/config (0600 in a 0700 directory) when there is none", async () => {
      await signedIn();
      expect(await cli.run("configure", "--prefix", "acme-")).toBe(EXIT.ok);
      const file = path.join(cli.home, ".aws", "config");
      expect(await readFile(file, "utf8")).toContain("[profile acme-dev-Admin]");
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    });
  });

  describe("logout", () => {
    it("revokes on the server, then deletes the token and the cache here", async () => {
      await signedIn();
      const token = issuedToken();
      expect(await cli.run("credentials", "--account", "prod", "--role", "ReadOnly")).toBe(EXIT.ok);
      expect(await cli.run("logout")).toBe(EXIT.ok);
      expect(jetway.requests.at(-1)).toMatchObject({
        method: "POST",
        path: "/api/cli/logout",
        authorization: `Bearer ${token}`,
      });
      expect(jetway.liveTokens.size).toBe(0);
      expect(await readdir(path.join(cli.home, ".config", "jetway", "sessions"))).toEqual([]);
      expect(await readdir(path.join(cli.home, ".cache", "jetway", "credentials"))).toEqual([]);
      expect(await cli.run("roles")).toBe(EXIT.signIn);
    });

    it("keeps the token when the server cannot be reached (exit 4): a token deleted here but alive there would be forgotten", async () => {
      await signedIn();
      const url = jetway.url;
      await jetway.close();
      expect(await cli.run("logout")).toBe(EXIT.network);
      expect(cli.err).toBe(`jetway: Could not reach Jetway at ${url}: connection refused.\n`);
      expect(await readdir(path.join(cli.home, ".config", "jetway", "sessions"))).toHaveLength(1);
      jetway = await startFakeJetway([]);
    });
  });

  it("--help for every command and the exit codes in jetway --help", async () => {
    for (const command of ["login", "logout", "roles", "credentials", "configure", "env", "console"]) {
      expect(await cli.run(command, "--help")).toBe(EXIT.ok);
      expect(cli.out).toMatch(new RegExp(`^Usage: jetway ${command}`));
    }
    expect(await cli.run("--help")).toBe(EXIT.ok);
    for (const line of [
      "0  ok",
      "1  usage error",
      "2  sign-in needed",
      "3  refused by Jetway",
      "4  network or server error",
    ]) {
      expect(cli.out).toContain(line);
    }
  });
});
