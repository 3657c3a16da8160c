import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isTestCode, readImportGraph, ROOT_DIR } from "./import-graph";

// app/ parses input, checks who is asking, calls lib/ and maps the result (docs/ARCHITECTURE.md): the
// queries live in lib/ (one function per use case, e.g. lib/admin/idps/list-idps.ts). A page or a
// route hands the database to lib (`listIdps(getDb())`) and never reads or writes a model itself.

/** No exception: even the health check asks lib/health. */
const ALLOWED = new Set<string>();

/** `getDb().x`, `db.x` or `tx.x`: a member of the database client used in place. */
const DATABASE_MEMBER = /(?:\bgetDb\(\)|\b(?:db|tx))\s*\??\.\s*(\$?\w+)/g;

describe("app/ calls lib/ for every query", () => {
  const files = [...readImportGraph(["app"]).keys()].filter((f) => !isTestCode(f) && !ALLOWED.has(f));

  it("reads the pages and routes", () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it("no page, route or server action uses the database client itself", () => {
    const uses = files.flatMap((file) => {
      const lines = readFileSync(path.join(ROOT_DIR, file), "utf8").split("\n");
      return lines.flatMap((line, i) =>
        [...line.matchAll(DATABASE_MEMBER)].map((m) => `${file}:${i + 1} uses ${m[0].replace(/\s/g, "")}`),
      );
    });
    expect(uses).toEqual([]);
  });

  it("would notice one", () => {
    const sample = "const rows = await getDb().roleMapping.findMany();\nconst n = await db.user.count();";
    expect([...sample.matchAll(DATABASE_MEMBER)].map((m) => m[1])).toEqual(["roleMapping", "user"]);
  });
});
