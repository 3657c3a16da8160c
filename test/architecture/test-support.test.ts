import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT_DIR, readImportGraph } from "./import-graph";

// Test helpers shared by unit tests, e2e specs and scripts live in one place, test/support/ (a
// helper under lib/ reads as shipped code and invites shipped code to import it). That shipped
// code never imports them is checked with the other import rules (import-rules.test.ts).

const SKIPPED = new Set(["node_modules", ".git", ".next", ".node", ".e2e", ".demo", "tools", "data", "generated"]);

function directoriesNamed(name: string, dir = ""): string[] {
  return readdirSync(path.join(ROOT_DIR, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !SKIPPED.has(entry.name))
    .flatMap((entry) => {
      const child = dir ? `${dir}/${entry.name}` : entry.name;
      return [...(entry.name === name ? [child] : []), ...directoriesNamed(name, child)];
    });
}

describe("test support", () => {
  it("has one home, test/support: no test-support folder beside the code", () => {
    expect(directoriesNamed("test-support")).toEqual([]);
  });

  it("reaches no server code from the sandbox's tests (the sandbox shares no code with lib/)", () => {
    const graph = readImportGraph(["sandbox", "test"]);
    const serverCode = (file: string) => /^(lib|app|components|cli)\//.test(file);
    // Everything the sandbox's files reach through test/ helpers, however indirectly.
    const reached = new Map<string, string>();
    const queue = [...graph.keys()].filter((f) => f.startsWith("sandbox/"));
    for (const from of queue) {
      for (const imported of graph.get(from)?.localImports ?? []) {
        if (reached.has(imported) || imported.startsWith("sandbox/")) continue;
        reached.set(imported, from);
        if (graph.has(imported)) queue.push(imported);
      }
    }
    expect([...reached.keys()].some((f) => f.startsWith("test/support/"))).toBe(true);
    const leaks = [...reached].filter(([file]) => serverCode(file)).map(([file, from]) => `${from} imports ${file}`);
    expect(leaks).toEqual([]);
  });
});
