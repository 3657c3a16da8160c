import { execFileSync, spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  appendFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { parseEnv } from "@/lib/env";
import { runMigrations } from "@/lib/db/migrate";
import { startTestPostgres } from "@/test/support/postgres";
import { readmeBlocks, readmeCommand, ROOT_DIR } from "@/test/readme/readme-commands";

/**
 * The README's operator and developer commands, run as written (`bash -c "<README text>"`, with
 * only <placeholders> filled in) against throwaway databases. test/readme/readme.test.ts checks
 * that every README command is run here or elsewhere in the suite.
 */

const SECRET = "operator-commands-test-secret-0123456789abcdef";
const work = mkdtempSync(path.join(tmpdir(), "jetway-readme-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a README command through bash in `cwd`, with `fill` replacing its placeholders. */
function run(
  command: string,
  options: { env?: Record<string, string>; fill?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<Run> {
  let text = command;
  for (const [placeholder, value] of Object.entries(options.fill ?? {})) text = text.split(placeholder).join(value);
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, JETWAY_LOG_LEVEL: "info" };
    delete env.NODE_ENV;
    for (const name of Object.keys(env))
      if (name === "DATABASE_URL" || (name.startsWith("JETWAY_") && name !== "JETWAY_LOG_LEVEL")) delete env[name];
    const child = spawn("bash", ["-c", text], {
      cwd: options.cwd ?? ROOT_DIR,
      env: { ...env, ...options.env } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function sqliteUrl(name: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  return `file:${path.join(dir, "jetway.db")}`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

describe("the environment", () => {
  it("`openssl rand -base64 48` makes a JETWAY_SECRET that Jetway accepts", async () => {
    const result = await run(readmeCommand("openssl rand -base64 48"));
    expect(result.code).toBe(0);
    const secret = result.stdout.trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(parseEnv({ JETWAY_BASE_URL: "https://jetway.example.com", JETWAY_SECRET: secret }).JETWAY_SECRET).toBe(
      secret,
    );
  });
});

describe("the database commands on SQLite", () => {
  it("`npm run db:migrate` applies every migration, then finds nothing to do", async () => {
    const url = sqliteUrl("migrate");
    const first = await run(readmeCommand("npm run db:migrate"), { env: { DATABASE_URL: url } });
    expect(first, first.stderr).toMatchObject({ code: 0 });
    const migrations = readdirSync(path.join(ROOT_DIR, "prisma/migrations/sqlite")).filter((n) => /^\d{14}_/.test(n));
    for (const name of migrations) expect(first.stdout).toContain(name);
    const again = await run(readmeCommand("npm run db:migrate"), { env: { DATABASE_URL: url } });
    expect(again.stdout).toContain("up to date");
  });

  it("`npm run keys:rotate -- aws status` lists the keys Jetway made at start", { timeout: 120_000 }, async () => {
    const env = {
      DATABASE_URL: sqliteUrl("keys"),
      JETWAY_SECRET: SECRET,
      JETWAY_BASE_URL: "https://jetway.example.com",
    };
    // A first start of Jetway (boot(): migrations, keys), as the running app would have done.
    const booted = await run(`${process.execPath} --import tsx test/support/boot-worker.ts`, { env });
    expect(booted, booted.stderr).toMatchObject({ code: 0 });
    const db = createDb(env.DATABASE_URL);
    const [key] = await db.signingKey.findMany({ where: { purpose: "aws" } });
    await db.$disconnect();

    const status = await run(readmeCommand("npm run keys:rotate -- aws status"), { env });
    expect(status, status.stderr).toMatchObject({ code: 0 });
    expect(status.stdout).toMatch(new RegExp(`^active\\s+${key!.id}\\s+created \\d{4}-`, "m"));
    expect(status.stdout.match(/^(active|next|retired)\s/gm)).toHaveLength(1);
  });
});

const postgres = process.env.JETWAY_TEST_PG_URL ? null : await startTestPostgres();
afterAll(async () => postgres?.stop());

// On a throwaway cluster only: the README's SQL creates a role and a database named jetway.
describe.skipIf(!postgres)("PostgreSQL as the README sets it up", () => {
  it(
    "the README's SQL makes a role and database that `npm run db:migrate` migrates",
    { timeout: 120_000 },
    async () => {
      const admin = new URL(postgres!.url);
      admin.pathname = "/postgres";
      const [sql, ...others] = readmeBlocks("sql");
      expect(others, "one SQL block in the README").toEqual([]);
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      try {
        // One statement at a time, as psql sends them (CREATE DATABASE cannot run in a transaction).
        for (const statement of sql!
          .split(";")
          .map((t) => t.trim())
          .filter(Boolean))
          await client.query(statement);
      } finally {
        await client.end();
      }

      const command = readmeCommand(
        "DATABASE_URL=postgresql://jetway:<password>@<host>:5432/jetway npm run db:migrate",
      );
      const password = /PASSWORD '([^']+)'/.exec(sql!)?.[1] ?? "";
      const result = await run(command, { fill: { "<password>": password, "<host>:5432": admin.host } });
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(result.stdout).toContain("PostgreSQL: applied");

      // The tables belong to the role the README made: it owns what Jetway created.
      const asJetway = new pg.Client({ connectionString: `postgresql://jetway:${password}@${admin.host}/jetway` });
      await asJetway.connect();
      try {
        const owners = await asJetway.query(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`);
        expect(owners.rows).toEqual([{ tableowner: "jetway" }]);
      } finally {
        await asJetway.end();
      }
    },
  );
});

describe("development commands", () => {
  it(
    "`npm run dev` serves Jetway (next dev behind Jetway's server, request gate included) with JETWAY_BASE_URL and JETWAY_SECRET",
    { timeout: 180_000 },
    async () => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const env: Record<string, string | undefined> = {
        ...process.env,
        PORT: String(port),
        JETWAY_BASE_URL: base,
        JETWAY_SECRET: SECRET,
        DATABASE_URL: sqliteUrl("dev"),
      };
      delete env.JETWAY_CONFIG;
      // As in a developer's shell: vitest's NODE_ENV=test makes next dev use another folder and
      // add it to tsconfig.json's include.
      delete env.NODE_ENV;
      delete env.VITEST;
      const tsconfigBefore = readFileSync(path.join(ROOT_DIR, "tsconfig.json"), "utf8");
      const buildIdFile = path.join(ROOT_DIR, ".next/BUILD_ID");
      const buildBefore = existsSync(buildIdFile) ? statSync(buildIdFile).mtimeMs : undefined;
      const child = spawn("bash", ["-c", readmeCommand("npm run dev")], {
        cwd: ROOT_DIR,
        env: env as NodeJS.ProcessEnv,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      try {
        const deadline = Date.now() + 150_000;
        let health: Response | undefined;
        while (Date.now() < deadline && child.exitCode === null) {
          health = await fetch(`${base}/api/health`).catch(() => undefined);
          if (health?.ok) break;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        expect(health?.status, output).toBe(200);
        const metadata = await fetch(`${base}/api/saml/metadata`);
        expect(await metadata.text()).toContain(`entityID="${base}/api/saml/metadata"`);
        // The same protections as production: security headers, and a cross-site POST refused.
        expect(metadata.headers.get("x-frame-options")).toBe("DENY");
        expect(metadata.headers.get("content-security-policy")).toContain("'strict-dynamic'");
        const forged = await fetch(`${base}/api/auth/signout`, {
          method: "POST",
          headers: { origin: "https://evil.example" },
        });
        expect(forged.status).toBe(403);
      } finally {
        try {
          process.kill(-child.pid!, "SIGTERM");
        } catch {
          // Already gone.
        }
        await exited;
      }
      // next dev keeps to .next/dev: the production build (which npm run demo reuses when nothing
      // is newer than it) and tsconfig.json stay as they were.
      expect(readFileSync(path.join(ROOT_DIR, "tsconfig.json"), "utf8")).toBe(tsconfigBefore);
      expect(existsSync(buildIdFile) ? statSync(buildIdFile).mtimeMs : undefined).toBe(buildBefore);
    },
  );

  it("`npm run db:new-migration -- <name>` writes a migration for both databases", { timeout: 420_000 }, async () => {
    // In a copy of the files the script touches, so that the repository is left alone.
    const copy = path.join(work, "repo");
    for (const file of [
      "scripts/new-migration.ts",
      "scripts/sync-postgres-schema.ts",
      "scripts/with-node.sh",
      "scripts/node-env.sh",
      "tools/prisma6/package.json",
      "tools/prisma6/package-lock.json",
      "tools/prisma6/prisma.config.ts",
    ]) {
      mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      cpSync(path.join(ROOT_DIR, file), path.join(copy, file));
    }
    cpSync(path.join(ROOT_DIR, "prisma"), path.join(copy, "prisma"), { recursive: true });
    const scripts = JSON.parse(readFileSync(path.join(ROOT_DIR, "package.json"), "utf8")).scripts as Record<
      string,
      string
    >;
    writeFileSync(
      path.join(copy, "package.json"),
      JSON.stringify({
        name: "readme-copy",
        private: true,
        scripts: { "db:new-migration": scripts["db:new-migration"] },
      }),
    );
    symlinkSync(path.join(ROOT_DIR, "node_modules"), path.join(copy, "node_modules"));
    // The pinned Prisma 6 CLI the script uses: installed once into the repository's
    // tools/prisma6 (as the script itself would do on first use), then shared with the copy.
    const tool = path.join(ROOT_DIR, "tools/prisma6");
    if (!existsSync(path.join(tool, "node_modules/prisma/build/index.js"))) {
      execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: tool, stdio: "ignore", timeout: 360_000 });
    }
    symlinkSync(path.join(tool, "node_modules"), path.join(copy, "tools/prisma6/node_modules"));

    appendFileSync(
      path.join(copy, "prisma/schema.prisma"),
      "\nmodel ReadmeCheck {\n  id   String @id\n  note String?\n}\n",
    );
    const result = await run(readmeCommand("npm run db:new-migration -- <name>"), {
      cwd: copy,
      fill: { "<name>": "readme_check" },
      timeoutMs: 120_000,
    });
    expect(result, `${result.stdout}\n${result.stderr}`).toMatchObject({ code: 0 });

    for (const provider of ["sqlite", "postgres"]) {
      const folder = readdirSync(path.join(copy, "prisma/migrations", provider)).find((n) =>
        n.endsWith("_readme_check"),
      );
      expect(folder, `no ${provider} migration written`).toBeTruthy();
      expect(readFileSync(path.join(copy, "prisma/migrations", provider, folder!, "migration.sql"), "utf8")).toMatch(
        /CREATE TABLE "ReadmeCheck"/,
      );
    }
    // The new SQLite migration applies after the existing ones.
    const applied = await runMigrations(sqliteUrl("new-migration"), {
      migrationsDir: path.join(copy, "prisma/migrations/sqlite"),
    });
    expect(applied.applied.at(-1)).toMatch(/_readme_check$/);
  });
});
