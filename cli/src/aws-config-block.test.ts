import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import {
  beginMarker,
  endMarker,
  profilesFor,
  rewriteAwsConfig,
  shellQuote,
  type ProfileSpec,
} from "./aws-config-block";
import { CliError, EXIT } from "./errors";
import { PROD_READONLY } from "@/test/support/cli/fake-jetway";
import type { Role } from "./roles";
import { unifiedDiff } from "./unified-diff";

const URL_A = "https://jetway.example.com";
const URL_B = "https://jetway.other.example";

const prod: Role = PROD_READONLY;
const dev: Role = {
  ...prod,
  accountId: "222222222222",
  accountAlias: "dev",
  roleName: "Admin",
  label: null,
  defaultRegion: null,
};

const options = { url: URL_A, prefix: "jetway-", nodePath: "/usr/bin/node", scriptPath: "/home/ada/.local/bin/jetway" };

/** A config a person wrote by hand: comments, odd spacing, no newline at the end. */
const HAND_WRITTEN = `# my own settings
[default]
region = us-east-1
output   =   json

[profile legacy]
aws_access_key_id = AKIAEXAMPLE   ; to be removed
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start`;

describe("the managed block in ~/.aws/config", () => {
  it("appends the block to a hand-edited file and keeps every byte before it", () => {
    const after = rewriteAwsConfig(HAND_WRITTEN, URL_A, profilesFor([prod, dev], options), "config");
    expect(after.startsWith(HAND_WRITTEN)).toBe(true);
    expect(after.slice(HAND_WRITTEN.length)).toBe(
      `\n\n${beginMarker(URL_A)} managed by \`jetway configure\`: edits inside this block are overwritten
# prod (111111111111) · ReadOnly · Production read-only
[profile jetway-prod-ReadOnly]
credential_process = /usr/bin/node /home/ada/.local/bin/jetway credentials --url https://jetway.example.com --account prod --role ReadOnly
region = eu-west-1

# dev (222222222222) · Admin
[profile jetway-dev-Admin]
credential_process = /usr/bin/node /home/ada/.local/bin/jetway credentials --url https://jetway.example.com --account dev --role Admin
${endMarker(URL_A)}
`,
    );
  });

  it("rewrites only its block: content before and after it is kept byte for byte, and a second run changes nothing", () => {
    const before = `${HAND_WRITTEN}\n\n`;
    const trailer = "\n[profile after]\r\nregion = ap-south-1  \n# trailing comment";
    const first = rewriteAwsConfig(before, URL_A, profilesFor([prod], options), "config") + trailer;
    // Someone edits inside the block by hand, and the roles change: the rewrite replaces the block alone.
    const tampered = first.replace("region = eu-west-1", "region = hand-edited");
    const second = rewriteAwsConfig(tampered, URL_A, profilesFor([prod, dev], options), "config");
    const start = second.indexOf(beginMarker(URL_A));
    const end = second.indexOf(endMarker(URL_A)) + endMarker(URL_A).length + 1;
    expect(second.slice(0, start)).toBe(before);
    expect(second.slice(end)).toBe(trailer);
    expect(second).toContain("[profile jetway-dev-Admin]");
    expect(second).not.toContain("hand-edited");
    expect(rewriteAwsConfig(second, URL_A, profilesFor([prod, dev], options), "config")).toBe(second);
  });

  it("keeps one block per Jetway deployment side by side", () => {
    const a = rewriteAwsConfig(HAND_WRITTEN, URL_A, profilesFor([prod], options), "config");
    const ab = rewriteAwsConfig(a, URL_B, profilesFor([prod], { ...options, url: URL_B, prefix: "other-" }), "config");
    expect(ab.startsWith(a)).toBe(true);
    // Rewriting A (now with no roles) leaves B's block untouched.
    const a2 = rewriteAwsConfig(ab, URL_A, [], "config");
    expect(a2).toContain("# No AWS role is granted to you through this Jetway.");
    expect(a2.slice(a2.indexOf(beginMarker(URL_B)))).toBe(ab.slice(ab.indexOf(beginMarker(URL_B))));
    expect(a2).not.toContain("[profile jetway-prod-ReadOnly]");
  });

  it("writes CRLF lines into a CRLF file", () => {
    const after = rewriteAwsConfig(
      "[default]\r\nregion = us-east-1\r\n",
      URL_A,
      profilesFor([prod], options),
      "config",
    );
    expect(
      after
        .split("\n")
        .slice(0, -1)
        .every((line) => line.endsWith("\r")),
    ).toBe(true);
  });

  it("refuses, changing nothing, a profile name already defined outside the block", () => {
    const existing = "[profile jetway-prod-ReadOnly]\nregion = us-east-1\n";
    const attempt = () => rewriteAwsConfig(existing, URL_A, profilesFor([prod], options), "/home/ada/.aws/config");
    expect(attempt).toThrow(CliError);
    expect(attempt).toThrow(
      '/home/ada/.aws/config already defines profile "jetway-prod-ReadOnly" outside Jetway\'s block',
    );
    // Another deployment's block counts as outside: the same prefix twice would clash.
    const withA = rewriteAwsConfig("", URL_A, profilesFor([prod], options), "config");
    expect(() => rewriteAwsConfig(withA, URL_B, profilesFor([prod], { ...options, url: URL_B }), "config")).toThrow(
      "pick another --prefix",
    );
  });

  it("refuses a damaged block (a marker missing or twice) instead of guessing its end", () => {
    const block = rewriteAwsConfig("", URL_A, profilesFor([prod], options), "config");
    const noEnd = block.replace(endMarker(URL_A), "");
    const twice = block + block;
    for (const damaged of [noEnd, twice, block.replace(beginMarker(URL_A), "# begin")]) {
      try {
        rewriteAwsConfig(damaged, URL_A, profilesFor([prod], options), "config");
        expect.unreachable();
      } catch (error) {
        expect((error as CliError).exitCode).toBe(EXIT.usage);
        expect((error as CliError).message).toContain("has a damaged Jetway block for https://jetway.example.com");
      }
    }
  });

  it("quotes paths with spaces so that the AWS CLI's shlex split gives back the exact words", () => {
    const [profile] = profilesFor([prod], {
      ...options,
      nodePath: "/opt/my node/node",
      scriptPath: "/home/o'brien/jetway.mjs",
    }) as [ProfileSpec];
    expect(profile.credentialProcess).toBe(
      `'/opt/my node/node' '/home/o'\\''brien/jetway.mjs' credentials --url https://jetway.example.com --account prod --role ReadOnly`,
    );
    const python = spawnSync(
      "python3",
      ["-c", "import json,shlex,sys; print(json.dumps(shlex.split(sys.argv[1])))", profile.credentialProcess],
      {
        encoding: "utf8",
      },
    );
    if (python.status === 0) {
      expect(JSON.parse(python.stdout)).toEqual([
        "/opt/my node/node",
        "/home/o'brien/jetway.mjs",
        "credentials",
        "--url",
        URL_A,
        "--account",
        "prod",
        "--role",
        "ReadOnly",
      ]);
    }
    expect(shellQuote("plain-word_1.2")).toBe("plain-word_1.2");
  });
});

describe("configure --dry-run's diff", () => {
  it("is empty for no change and applies with patch(1) to give the new file", () => {
    const before = `${HAND_WRITTEN}\n\n[profile after]\nregion = us-west-2\n`;
    const withBlock = rewriteAwsConfig(before, URL_A, profilesFor([prod], options), "config");
    expect(unifiedDiff(withBlock, withBlock, "a", "b")).toBe("");
    const after = rewriteAwsConfig(withBlock, URL_A, profilesFor([prod, dev], options), "config");
    const diff = unifiedDiff(withBlock, after, "config", "config");
    expect(diff).toMatch(/^--- config\n\+\+\+ config\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
    expect(diff).toContain("+[profile jetway-dev-Admin]\n");
    expect(diff).not.toContain("-[profile jetway-prod-ReadOnly]");

    const dir = mkdtempSync(path.join(os.tmpdir(), "jetway-diff-"));
    for (const [from, to] of [
      [withBlock, after],
      [HAND_WRITTEN, rewriteAwsConfig(HAND_WRITTEN, URL_A, profilesFor([prod], options), "config")],
      ["", rewriteAwsConfig("", URL_A, profilesFor([prod], options), "config")],
    ] as const) {
      writeFileSync(path.join(dir, "config"), from);
      writeFileSync(path.join(dir, "change.diff"), unifiedDiff(from, to, "config", "config"));
      execFileSync("patch", ["-s", "config", "change.diff"], { cwd: dir });
      expect(readFileSync(path.join(dir, "config"), "utf8")).toBe(to);
    }
  });
});
