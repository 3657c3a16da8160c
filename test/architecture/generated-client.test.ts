import { describe, expect, it } from "vitest";
import { readImportGraph } from "./import-graph";

// Prisma generates one client per provider (lib/db/generated/sqlite, lib/db/generated/postgres).
// Code that imported a row type from the SQLite client would read as SQLite-only even where it runs
// on PostgreSQL: row types come from lib/db/types.ts, the client and `Prisma` from lib/db.ts.

const graph = readImportGraph([
  "app",
  "components",
  "lib",
  "cli",
  "sandbox",
  "scripts",
  "e2e",
  "test",
  "prisma",
  "instrumentation.ts",
  "prisma.config.ts",
]);
const isDbModule = (file: string) => file === "lib/db.ts" || file.startsWith("lib/db/");
const isGenerated = (file: string) => file.startsWith("lib/db/generated/");

describe("the generated Prisma clients", () => {
  it("are imported only by lib/db.ts and lib/db/ (everyone else: lib/db/types.ts and lib/db.ts)", () => {
    expect([...graph.values()].filter((f) => f.localImports.some(isGenerated)).length).toBeGreaterThan(0);
    const outside = [...graph.values()]
      .filter((f) => !isDbModule(f.file))
      .flatMap((f) => f.localImports.filter(isGenerated).map((imported) => `${f.file} imports ${imported}`));
    expect(outside).toEqual([]);
  });
});
