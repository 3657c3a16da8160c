import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * A throwaway PostgreSQL for tests.
 *
 *   const pg = await startTestPostgres();          // top level of the test file: once per file
 *   afterAll(() => pg?.stop());
 *   describe.skipIf(!pg)("on PostgreSQL", () => { ... pg!.url ... await pg!.createDatabase() ... });
 *
 * - $JETWAY_TEST_PG_URL set (e.g. a CI service): a new database is created on that server for
 *   this caller (the role needs CREATEDB) and dropped by stop().
 * - Otherwise, when /usr/lib/postgresql/<version>/bin/initdb exists: a temporary cluster
 *   (trust auth, 127.0.0.1, a free port, fsync off) is initialised and started, as the
 *   `postgres` user when running as root; stop() shuts it down and deletes it.
 * - Otherwise null, and the caller skips its PostgreSQL tests. With $CI set this throws
 *   instead, so that CI cannot pass by silently skipping.
 */
export interface TestPostgres {
  /** A database of its own on the server, already created. */
  url: string;
  /** Creates another empty database on the same server and returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
  /**
   * The server itself, for fault-injection tests: `halt()` shuts it down (fast mode: clients are
   * disconnected, new connections refused) and `resume()` starts it again on the same port with
   * the same data. Null on an external server ($JETWAY_TEST_PG_URL), which a test must not stop.
   */
  server: { halt(): Promise<void>; resume(): Promise<void> } | null;
}

export async function startTestPostgres(): Promise<TestPostgres | null> {
  const external = process.env.JETWAY_TEST_PG_URL?.trim();
  if (external) return onServer(external, { dropOnStop: true, shutdown: async () => undefined });

  const bin = findPostgresBin();
  if (!bin) {
    if (process.env.CI) {
      throw new Error(
        "PostgreSQL tests cannot run: no /usr/lib/postgresql/*/bin/initdb and no JETWAY_TEST_PG_URL (CI must not skip them)",
      );
    }
    return null;
  }
  return startCluster(bin);
}

function findPostgresBin(): string | null {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], "bin") : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function startCluster(bin: string): Promise<TestPostgres> {
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), "jetway-pg-"));
  const dataDir = path.join(dir, "data");
  // PostgreSQL refuses to run as root: run its tools as `postgres`, which must own the folder.
  const run = (tool: string, args: string[]) => {
    const cmd = path.join(bin, tool);
    return isRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", cmd, ...args], { cwd: dir, stdio: "pipe" })
      : execFileSync(cmd, args, { cwd: dir, stdio: "pipe" });
  };
  if (isRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }

  let started = false;
  let options = "";
  const stopSync = () => {
    if (started) {
      started = false;
      try {
        run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } catch {
        // Already gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // If the test process ends without stop() (a crash, a killed run), do not leave a server behind.
  process.once("exit", stopSync);

  try {
    run("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      options = [
        `-p ${port}`,
        "-c listen_addresses=127.0.0.1",
        `-k ${dir}`, // its Unix socket in our folder, not /var/run/postgresql
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off", // throwaway data
      ].join(" ");
      try {
        run("pg_ctl", ["-D", dataDir, "-l", path.join(dir, "server.log"), "-o", options, "-w", "-t", "30", "start"]);
        started = true;
        break;
      } catch (error) {
        if (attempt >= 3) throw error; // the free port may have been taken meanwhile
      }
    }
    const server = {
      halt: async () => {
        run("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "30", "stop"]);
        started = false;
      },
      resume: async () => {
        run("pg_ctl", ["-D", dataDir, "-l", path.join(dir, "server.log"), "-o", options, "-w", "-t", "30", "start"]);
        started = true;
      },
    };
    const onCluster = await onServer(`postgresql://postgres@127.0.0.1:${port}/postgres`, {
      dropOnStop: false, // the whole cluster goes
      shutdown: async () => {
        process.removeListener("exit", stopSync);
        stopSync();
      },
    });
    return { ...onCluster, server };
  } catch (error) {
    process.removeListener("exit", stopSync);
    stopSync();
    const stderr = (error as { stderr?: Buffer }).stderr?.toString();
    throw new Error(`Could not start a test PostgreSQL: ${stderr || (error as Error).message}`, { cause: error });
  }
}

/** Creates this caller's database on the server behind `adminUrl`; stop() drops them (if asked), then shuts down. */
async function onServer(
  adminUrl: string,
  { dropOnStop, shutdown }: { dropOnStop: boolean; shutdown: () => Promise<void> },
): Promise<TestPostgres> {
  const created: string[] = [];
  const withAdmin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const createDatabase = async (): Promise<string> => {
    const name = `jetway_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
    created.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const url = await createDatabase();
  return {
    url,
    server: null,
    createDatabase,
    async stop() {
      try {
        if (dropOnStop) {
          await withAdmin(async (c) => {
            for (const name of created.splice(0)) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          });
        }
      } finally {
        await shutdown();
      }
    },
  };
}
