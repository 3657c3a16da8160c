import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  normalizeSchema,
  snapshotPath,
  sourcePath,
  syncPostgresSchema,
  toPostgresSchema,
} from "../../scripts/sync-postgres-schema";

describe("the schemas and migrations", () => {
  it("prisma/postgres/schema.prisma is in sync with prisma/schema.prisma (npm run db:sync-schema)", () => {
    expect(syncPostgresSchema({ check: true })).toBe(true);
  });

  it("the migrations cover prisma/schema.prisma (npm run db:new-migration -- <name>)", () => {
    const schema = normalizeSchema(readFileSync(sourcePath, "utf8"));
    const migrated = normalizeSchema(readFileSync(snapshotPath, "utf8"));
    expect(migrated, `${path.basename(snapshotPath)} differs: the schema changed without a migration`).toBe(schema);
  });

  it("rewrites only the datasource provider and the client output", () => {
    const sqlite = [
      'generator client {\n  provider = "prisma-client"\n  output   = "../lib/db/generated/sqlite"\n}',
      'datasource db {\n  provider = "sqlite"\n}',
      'model A {\n  id String @id // "sqlite"\n}',
    ].join("\n");
    const out = toPostgresSchema(sqlite);
    expect(out).toContain('provider = "prisma-client"');
    expect(out).toContain('output   = "../../lib/db/generated/postgres"');
    expect(out).toContain('datasource db {\n  provider = "postgresql"');
    expect(out).toContain('id String @id // "sqlite"');
  });

  it("ignores comments and spacing when comparing schemas, but not defaults that contain //", () => {
    expect(normalizeSchema("model A {\n  id   String @id // slug\n}\n")).toBe(
      normalizeSchema("// doc\nmodel A {\n id String @id\n}"),
    );
    expect(normalizeSchema('x String @default("https://a")')).toBe('x String @default("https://a")');
  });
});
