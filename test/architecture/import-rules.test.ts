import { describe, expect, it } from "vitest";
import { findCycles, isTestCode, readImportGraph, type SourceFile } from "./import-graph";

// The rules docs/ARCHITECTURE.md states ("Rules that must never break"), checked over the import graph.
// Each failure names the file and what it imports, so the fix is obvious.

const graph = readImportGraph([
  "app",
  "components",
  "lib",
  "cli/src",
  "sandbox",
  "scripts",
  "e2e",
  "test",
  "server",
  "instrumentation.ts",
]);
const files = [...graph.values()];
const under = (prefix: string) => (file: string) => file === prefix || file.startsWith(`${prefix}/`);
// server/: the entry `npm start` runs; its build script and the helper that starts the build for the
// demo and the tests are tooling.
const tooling = new Set(["server/build.ts", "server/built-server.ts"]);
const production = (f: SourceFile) =>
  (!isTestCode(f.file) &&
    !tooling.has(f.file) &&
    ["app", "components", "lib", "cli/src", "server"].some((root) => under(root)(f.file))) ||
  f.file === "instrumentation.ts";

function violations(from: (f: SourceFile) => boolean, forbidden: (imported: string) => boolean): string[] {
  return files
    .filter(from)
    .flatMap((f) => f.localImports.filter(forbidden).map((imported) => `${f.file} imports ${imported}`));
}

describe("import rules (docs/ARCHITECTURE.md)", () => {
  it("reads the tree", () => {
    expect(graph.has("lib/env.ts")).toBe(true);
    expect(files.filter(production).length).toBeGreaterThan(200);
    // The resolver must see through "@/" and relative specifiers, or every rule below passes vacuously.
    expect(graph.get("lib/db.ts")?.localImports).toContain("lib/env.ts");
    expect(graph.get("lib/env.ts")?.envReads.length).toBeGreaterThan(0);
  });

  it("shipped code never imports tests, test helpers, e2e, scripts or the sandbox", () => {
    const notShipped = (imported: string) =>
      isTestCode(imported) || ["e2e", "test", "scripts", "sandbox"].some((root) => under(root)(imported));
    expect(violations(production, notShipped)).toEqual([]);
    expect(
      files
        .filter(production)
        .flatMap((f) => f.packageImports.filter((p) => p === "vitest" || p.startsWith("@playwright/")))
        .map(String),
    ).toEqual([]);
  });

  it("lib/ is plain TypeScript: it never imports app/ (routes) or components/ (React)", () => {
    expect(
      violations(
        (f) => under("lib")(f.file),
        (imported) => under("app")(imported) || under("components")(imported),
      ),
    ).toEqual([]);
  });

  it("components/ are presentational: no database access", () => {
    expect(
      violations(
        (f) => under("components")(f.file),
        // lib/db/types.ts only re-exports row types (no runtime code): a component may name a row's shape.
        (imported) => imported === "lib/db.ts" || (under("lib/db")(imported) && imported !== "lib/db/types.ts"),
      ),
    ).toEqual([]);
  });

  it("the sandbox shares no code with Jetway (it stands in for AWS, so it must not agree with lib/aws by construction)", () => {
    expect(
      violations(
        (f) => under("sandbox")(f.file),
        (imported) => ["lib", "app", "components", "cli"].some((root) => under(root)(imported)),
      ),
    ).toEqual([]);
    expect(violations(production, (imported) => under("sandbox")(imported))).toEqual([]);
  });

  it("the jetway CLI (cli/src) is a standalone bundle: it imports nothing from Jetway's server code", () => {
    expect(
      violations(
        (f) => under("cli/src")(f.file),
        (imported) => ["lib", "app", "components"].some((root) => under(root)(imported)),
      ),
    ).toEqual([]);
  });

  it("only lib/env.ts reads process.env in server code (the CLI, a separate program, reads its own)", () => {
    // instrumentation.ts reads NEXT_RUNTIME, which Next.js sets to say which runtime loads the file.
    // lib/env-early.ts is lib/env.ts's part without zod (what the supervisor and lib/log.ts read).
    const allowed = new Set(["lib/env.ts", "lib/env-early.ts", "instrumentation.ts"]);
    const readers = files
      .filter((f) => production(f) && !under("cli/src")(f.file) && !allowed.has(f.file))
      .flatMap((f) => f.envReads.map((line) => `${f.file}:${line}`));
    expect(readers).toEqual([]);
  });

  it("no import cycles in shipped code", () => {
    const cycles = findCycles(graph, (file) => {
      const f = graph.get(file);
      return f !== undefined && production(f);
    });
    expect(cycles.map((c) => c.join(" → "))).toEqual([]);
  });
});
