/**
 * `npm run bench`: how many whole console sign-ins per second Jetway's production build serves,
 * and how fast each step is (issue 12). Starts, all on 127.0.0.1 and under .bench/:
 *   - the AWS sandbox (sandbox/) as STS and federation endpoint;
 *   - Jetway as `npm start` runs it, on a fresh SQLite file (or, with --postgres, a throwaway
 *     PostgreSQL cluster), rate limits off;
 * signs fresh IdP-initiated responses beforehand (so signing is not measured), then drives virtual
 * browsers through ACS → portal → /go/prod/ReadOnly → 302: a warm-up, one browser alone, each
 * step alone (its CPU per request), then `--rounds` load rounds of `--users` browsers. Prints
 * sign-ins per second, p50/p95/p99 per step and per flow, errors, the server's RSS and PSS (all
 * processes), database round-trips per sign-in (from the request log's dbRoundTrips), the CPU each
 * sign-in and each step costs, and Jetway's in-process ACS validation against stock node-saml.
 * Every phase is bounded in count and time. Exit code 1 if any sign-in failed.
 *
 *   npm run bench                # the table
 *   npm run bench -- --json      # the same as JSON
 *   npm run bench -- --postgres  # on PostgreSQL
 *   npm run bench -- --help
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { missingBuild } from "../server/built-server";
import { startTestPostgres, type TestPostgres } from "../test/support/postgres";
import { freePort } from "../e2e/support/processes";
import { testKeyPair } from "@/test/support/saml/test-keys";
import { compareAcs } from "./bench/acs-ratio";
import { runPhase, STEPS, type PhaseResult, type Step } from "./bench/browsers";
import { parseBenchOptions, USAGE, type BenchOptions } from "./bench/options";
import { formatReport, summarize, targets, type BenchReport, type CpuPerSignIn, type MemoryMb } from "./bench/report";
import { prepareResponses } from "./bench/responses";
import { measureStepCpu } from "./bench/step-cpu";
import {
  BENCH_DIR,
  ROLE_PATH,
  ROOT_DIR,
  startJetway,
  startSandbox,
  treeCpuMs,
  treeMemory,
  type Service,
} from "./bench/services";

const MB = 1024 * 1024;
/** Jetway's session cookie over plain http (lib/auth/session.ts). */
const SESSION_COOKIE = "jetway-session";

const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const cleanups: Array<() => Promise<void>> = [];
async function cleanUp(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
}

function ensureBuild(): void {
  const missing = missingBuild(ROOT_DIR);
  if (!missing) return;
  say(`${missing}: running npm run build`);
  const built = spawnSync("npm", ["run", "build"], { cwd: ROOT_DIR, stdio: ["ignore", 2, 2] });
  if (built.status !== 0) throw new Error("npm run build failed");
}

/** Mean database round-trips per step of the load rounds' sign-ins, from Jetway's request log. */
function dbRoundTrips(logFile: string): Record<Step | "flow", number> | undefined {
  const sums: Record<string, { total: number; n: number }> = {};
  for (const line of fs.readFileSync(logFile, "utf8").split("\n")) {
    if (!line.startsWith("{") || !line.includes('"dbRoundTrips"') || !line.includes("bench-round")) continue;
    const entry = JSON.parse(line) as { msg?: string; requestId?: string; dbRoundTrips?: number };
    const step = /^bench-round-\d+-\d+-(acs|portal|go)$/.exec(entry.requestId ?? "")?.[1];
    if (entry.msg !== "request" || !step || typeof entry.dbRoundTrips !== "number") continue;
    const s = (sums[step] ??= { total: 0, n: 0 });
    s.total += entry.dbRoundTrips;
    s.n++;
  }
  if (!STEPS.every((step) => sums[step]?.n)) return undefined;
  const mean = (step: Step) => sums[step]!.total / sums[step]!.n;
  return { acs: mean("acs"), portal: mean("portal"), go: mean("go"), flow: STEPS.reduce((t, s) => t + mean(s), 0) };
}

async function run(options: BenchOptions): Promise<BenchReport> {
  ensureBuild();
  fs.rmSync(BENCH_DIR, { recursive: true, force: true });
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const idpKey = testKeyPair("bench-idp");

  let pg: TestPostgres | null = null;
  if (options.postgres) {
    say("starting a throwaway PostgreSQL cluster");
    pg = await startTestPostgres();
    if (!pg)
      throw new Error("--postgres: no PostgreSQL found (/usr/lib/postgresql/*/bin/initdb, or JETWAY_TEST_PG_URL)");
    const stopPg = pg.stop.bind(pg);
    cleanups.push(stopPg);
  }
  const databaseUrl = pg?.url ?? `file:${path.join(BENCH_DIR, "jetway.db")}`;
  const [jetwayPort, sandboxPort] = [await freePort(), await freePort()];
  const jetwayUrl = `http://127.0.0.1:${jetwayPort}`;

  const sandbox: Service = await startSandbox(sandboxPort, jetwayUrl);
  cleanups.push(() => sandbox.stop());
  const total = options.warmup + 2 * options.single + options.rounds * options.maxFlows;
  say(`starting Jetway on ${jetwayUrl} and signing ${total} responses (${options.groups} groups each)`);
  const [jetway, bodies] = await Promise.all([
    startJetway({
      port: jetwayPort,
      sandboxUrl: sandbox.url,
      databaseUrl,
      idpKey,
      workers: options.workers,
      cpuProfileDir: options.cpuProf ? path.join(BENCH_DIR, "cpu-profiles") : undefined,
    }).then((service) => {
      cleanups.push(() => service.stop());
      return service;
    }),
    prepareResponses(
      {
        sp: { entityId: `${jetwayUrl}/api/saml/metadata`, acsUrl: `${jetwayUrl}/api/saml/acs` },
        key: idpKey,
        groups: options.groups,
        people: options.people,
      },
      total,
    ),
  ]);
  let cursor = 0;
  const phase = (name: string, users: number, maxFlows: number, durationMs: number) =>
    runPhase({
      name,
      baseUrl: jetwayUrl,
      takeBody: () => bodies[cursor++],
      users,
      maxFlows,
      durationMs,
      rolePath: ROLE_PATH,
      cookieName: SESSION_COOKIE,
    });
  const pid = jetway.process.pid!;
  const sandboxPid = sandbox.process.pid!;
  /** Runs a phase and measures the CPU each side spent on it. */
  const measured = async (run: () => Promise<PhaseResult>) => {
    const before = { server: treeCpuMs(pid), sandbox: treeCpuMs(sandboxPid), self: process.cpuUsage() };
    const result = await run();
    const self = process.cpuUsage(before.self);
    const cpu = {
      server: treeCpuMs(pid) - before.server,
      sandbox: treeCpuMs(sandboxPid) - before.sandbox,
      loadGenerator: (self.user + self.system) / 1000,
    };
    return { result, cpu };
  };

  say(`warm-up: ${options.warmup} sign-ins`);
  const warmup = await phase("warmup", options.users, options.warmup, 120_000);
  say(`one browser alone: ${options.single} sign-ins`);
  const single = await measured(() => phase("single", 1, options.single, 60_000));
  say(`CPU per step: ${options.single} requests of each by one browser`);
  const stepCpu =
    options.single > 0
      ? await measureStepCpu({
          baseUrl: jetwayUrl,
          takeBody: () => bodies[cursor++],
          count: options.single,
          rolePath: ROLE_PATH,
          cookieName: SESSION_COOKIE,
          serverPid: pid,
          sandboxPid,
        })
      : undefined;
  const start = treeMemory(pid);
  const rounds: Array<{ result: PhaseResult; cpu: CpuPerSignIn; memory: MemoryMb }> = [];
  let processesEnd: BenchReport["processesEnd"];
  for (let r = 1; r <= options.rounds; r++) {
    say(`round ${r}: ${options.users} browsers, ${options.duration} s or ${options.maxFlows} sign-ins`);
    const peak = { rss: 0, pss: 0 };
    const sample = () => {
      const now = treeMemory(pid);
      peak.rss = Math.max(peak.rss, now.rss);
      peak.pss = Math.max(peak.pss, now.pss);
      return now;
    };
    // Once a second: reading smaps_rollup costs kernel time, charged to this process, on the same cores.
    const sampler = setInterval(sample, 1000);
    const { result, cpu } = await measured(() =>
      phase(`round-${r}`, options.users, options.maxFlows, options.duration * 1000),
    );
    clearInterval(sampler);
    const end = sample();
    const memory = { rssEnd: end.rss / MB, rssPeak: peak.rss / MB, pssEnd: end.pss / MB, pssPeak: peak.pss / MB };
    processesEnd = end.each.map((p) => ({ name: p.name, rssMb: p.rss / MB, pssMb: p.pss / MB }));
    rounds.push({ result, cpu, memory });
  }
  await jetway.stop();
  await sandbox.stop();
  await cleanUp();

  say(`in-process ACS validation against node-saml (${options.acsRounds} alternating rounds)`);
  const acs = await compareAcs(idpKey, options.acsRounds);

  const summaries = rounds.map((r) => summarize(r.result, r.memory, r.cpu));
  const first = summaries[0]?.rssEndMb;
  const last = summaries.at(-1)?.rssEndMb;
  const partial: Omit<BenchReport, "targets"> = {
    when: new Date().toISOString(),
    node: process.version,
    cores: availableParallelism(),
    database: pg ? "postgresql" : "sqlite",
    serverProcesses: start.processes,
    groups: options.groups,
    warmup: summarize(warmup),
    single: summarize(single.result, undefined, single.cpu),
    stepCpu,
    rounds: summaries,
    dbRoundTrips: dbRoundTrips(jetway.logFile),
    acs,
    rssStartMb: start.rss / MB,
    pssStartMb: start.pss / MB,
    processesEnd,
    ...(summaries.length > 1 && first && last ? { rssGrowthPercent: ((last - first) / first) * 100 } : {}),
    errors: warmup.errors + single.result.errors + rounds.reduce((t, r) => t + r.result.errors, 0),
  };
  return { ...partial, targets: targets(partial) };
}

async function main(): Promise<void> {
  let options: BenchOptions | "help";
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  if (options === "help") {
    console.log(USAGE);
    return;
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      say("stopping");
      void cleanUp().finally(() => process.exit(130));
    });
  }
  const report = await run(options);
  console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
  process.exitCode = report.errors > 0 ? 1 : 0;
}

main().catch(async (error: unknown) => {
  await cleanUp();
  console.error(`[bench] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
