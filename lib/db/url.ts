import path from "node:path";

export type DbProvider = "sqlite" | "postgresql";

/** Which store a DATABASE_URL selects: `file:<path>` is SQLite, `postgres(ql)://…` is PostgreSQL. */
export function providerOf(databaseUrl: string): DbProvider {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  throw new Error("DATABASE_URL must be file:<path> (SQLite) or postgresql://… (PostgreSQL)");
}

/**
 * The SQLite file a `file:` URL names, absolute. Relative paths are relative to the working
 * directory (not to the schema, as with Prisma's CLI): `file:./data/jetway.db` is ./data/jetway.db
 * wherever the app is started from. Accepts `file:rel`, `file:./rel`, `file:/abs`, `file:///abs`;
 * a `?query` is ignored.
 */
export function sqlitePathOf(databaseUrl: string): string {
  let p = databaseUrl.slice("file:".length).replace(/\?.*$/, "");
  if (p.startsWith("//")) p = p.slice(2); // file:///abs → /abs
  if (!p) throw new Error("DATABASE_URL file: needs a path, e.g. file:./data/jetway.db");
  // The path is only known at run time; keep Turbopack from tracing the whole project for it.
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), decodeURIComponent(p));
}
