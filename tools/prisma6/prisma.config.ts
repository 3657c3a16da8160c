// Prisma 6.19.3 CLI config, used only by scripts/new-migration.ts to author migration SQL offline.
// Prisma 6 can run its WASM schema engine through a driver adapter (engine "js"), so it needs
// no native schema engine (Prisma 7's migrate commands try to download one and fail offline).
// `migrate diff --from-schema-datamodel A --to-schema-datamodel B --script` never touches a
// database, so an in-memory SQLite adapter serves for both providers: the SQL dialect follows
// the schemas' datasource provider. PRISMA6_SCHEMA names the schema copy to load (with the
// dummy datasource `url` that Prisma 6 requires and Prisma 7 rejects).
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: process.env.PRISMA6_SCHEMA ?? "schema.prisma",
  adapter: async () => new PrismaBetterSQLite3({ url: ":memory:" }),
});
