import type { AcsComparison } from "./acs-ratio";
import { STEPS, type PhaseResult, type Step } from "./browsers";
import type { StepCpu } from "./step-cpu";

/** What `npm run bench` prints: a table, or the same as JSON (`--json`). */

export interface Latencies {
  n: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface PhaseSummary {
  name: string;
  users: number;
  flows: number;
  errors: number;
  errorKinds: Record<string, number>;
  errorSamples: string[];
  seconds: number;
  signInsPerSecond: number;
  endedBy: PhaseResult["endedBy"];
  latencyMs: Record<Step | "flow", Latencies>;
  /** Server memory (all processes, RSS and PSS: services.ts) when the phase ended, and the highest sampled. */
  rssEndMb?: number;
  rssPeakMb?: number;
  pssEndMb?: number;
  pssPeakMb?: number;
  /**
   * CPU time per successful sign-in (user + system, all processes of each), whatever else runs on
   * the machine: the server, the AWS sandbox standing in for STS and the federation endpoint, and
   * this load generator.
   */
  cpuMsPerSignIn?: CpuPerSignIn;
}

export interface CpuPerSignIn {
  server: number;
  sandbox: number;
  loadGenerator: number;
}

export interface BenchReport {
  when: string;
  node: string;
  cores: number;
  database: "sqlite" | "postgresql";
  /** Processes serving (the supervisor and its workers, or the one server). */
  serverProcesses: number;
  groups: number;
  warmup: PhaseSummary;
  single: PhaseSummary;
  /** CPU per request of each step alone (scripts/bench/step-cpu.ts). */
  stepCpu?: StepCpu[];
  rounds: PhaseSummary[];
  /** Database round-trips per request (queries and transaction statements), from Jetway's request log. */
  dbRoundTrips?: Record<Step | "flow", number>;
  acs: AcsComparison[];
  rssStartMb: number;
  pssStartMb: number;
  /** Each server process's RSS and PSS when the last round ended. */
  processesEnd?: Array<{ name: string; rssMb: number; pssMb: number }>;
  /** Last round's end RSS against the first's, in percent. */
  rssGrowthPercent?: number;
  errors: number;
  targets: Target[];
}

export interface Target {
  what: string;
  value: string;
  target: string;
  met: boolean;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

function latencies(values: number[]): Latencies {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

export interface MemoryMb {
  rssEnd: number;
  rssPeak: number;
  pssEnd: number;
  pssPeak: number;
}

export function summarize(phase: PhaseResult, memory?: MemoryMb, cpuMs?: CpuPerSignIn): PhaseSummary {
  const seconds = phase.elapsedMs / 1000;
  return {
    name: phase.name,
    users: phase.users,
    flows: phase.flows,
    errors: phase.errors,
    errorKinds: phase.errorKinds,
    errorSamples: phase.errorSamples,
    seconds,
    signInsPerSecond: seconds > 0 ? phase.flows / seconds : 0,
    endedBy: phase.endedBy,
    latencyMs: {
      acs: latencies(phase.times.acs),
      portal: latencies(phase.times.portal),
      go: latencies(phase.times.go),
      flow: latencies(phase.times.flow),
    },
    ...(memory
      ? {
          rssEndMb: memory.rssEnd,
          rssPeakMb: memory.rssPeak,
          pssEndMb: memory.pssEnd,
          pssPeakMb: memory.pssPeak,
        }
      : {}),
    ...(cpuMs && phase.flows > 0
      ? {
          cpuMsPerSignIn: {
            server: cpuMs.server / phase.flows,
            sandbox: cpuMs.sandbox / phase.flows,
            loadGenerator: cpuMs.loadGenerator / phase.flows,
          },
        }
      : {}),
  };
}

/** The issue's table (issue 12): what this run measured against what it must reach. */
export function targets(report: Omit<BenchReport, "targets">): Target[] {
  const best = report.rounds.reduce((a, b) => (b.signInsPerSecond > a.signInsPerSecond ? b : a));
  const worstP99 = Math.max(...report.rounds.map((r) => r.latencyMs.flow.p99));
  const peak = Math.max(...report.rounds.map((r) => r.rssPeakMb ?? 0));
  const pssPeak = Math.max(...report.rounds.map((r) => r.pssPeakMb ?? 0));
  const acs200 = report.acs.find((a) => a.groups === 200);
  const out: Target[] = [
    {
      what: `sign-ins per second, ${best.users} users`,
      value: best.signInsPerSecond.toFixed(0),
      target: "≥ 150",
      met: best.signInsPerSecond >= 150,
    },
    {
      what: "one sign-in alone, p50",
      value: `${report.single.latencyMs.flow.p50.toFixed(1)} ms`,
      target: "≤ 15 ms",
      met: report.single.latencyMs.flow.p50 <= 15,
    },
    {
      what: `whole flow p99, ${best.users} users`,
      value: `${worstP99.toFixed(0)} ms`,
      target: "≤ 150 ms",
      met: worstP99 <= 150,
    },
  ];
  if (acs200)
    out.push({
      what: "ACS 200 groups vs node-saml",
      value: `${acs200.ratio.toFixed(2)}×`,
      target: "≤ 1.0×",
      met: acs200.ratio <= 1,
    });
  const limit = report.serverProcesses > 1 ? 450 : 300;
  const processes = `${report.serverProcesses} process${report.serverProcesses > 1 ? "es" : ""}`;
  out.push({
    what: `server RSS under load, summed (${processes})`,
    value: `${peak.toFixed(0)} MB`,
    target: `≤ ${limit} MB`,
    met: peak <= limit,
  });
  if (report.serverProcesses > 1)
    out.push({
      what: `server PSS under load, summed (${processes})`,
      value: `${pssPeak.toFixed(0)} MB`,
      target: `≤ ${limit} MB`,
      met: pssPeak <= limit,
    });
  if (report.rssGrowthPercent !== undefined)
    out.push({
      what: "RSS, last round's end vs the first's",
      value: `${report.rssGrowthPercent >= 0 ? "+" : ""}${report.rssGrowthPercent.toFixed(1)} %`,
      target: "within 10 %",
      met: Math.abs(report.rssGrowthPercent) <= 10,
    });
  out.push({ what: "errors", value: String(report.errors), target: "0", met: report.errors === 0 });
  return out;
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "–");

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "))
    .join("\n");
}

export function formatReport(report: BenchReport): string {
  const lines: string[] = [];
  const dbName = report.database === "sqlite" ? "SQLite" : "PostgreSQL";
  lines.push(
    `Jetway sign-in benchmark: ${dbName}, ${report.serverProcesses} server process(es) on ${report.cores} cores, ` +
      `node ${report.node}, ${report.groups} groups per response`,
    "",
  );
  const rows: string[][] = [
    ["phase", "users", "sign-ins", "per s", "errors", "step", "p50 ms", "p95 ms", "p99 ms", "RSS / PSS MB"],
  ];
  for (const phase of [report.single, ...report.rounds]) {
    for (const [i, step] of [...STEPS, "flow" as const].entries()) {
      const l = phase.latencyMs[step];
      rows.push([
        i === 0 ? phase.name : "",
        i === 0 ? String(phase.users) : "",
        i === 0 ? String(phase.flows) : "",
        i === 0 ? phase.signInsPerSecond.toFixed(1) : "",
        i === 0 ? String(phase.errors) : "",
        step,
        ms(l.p50),
        ms(l.p95),
        ms(l.p99),
        i === 0 && phase.rssEndMb !== undefined
          ? `${phase.rssEndMb.toFixed(0)} / ${phase.pssEndMb?.toFixed(0)} (peak ${phase.rssPeakMb?.toFixed(0)} / ${phase.pssPeakMb?.toFixed(0)})`
          : "",
      ]);
    }
  }
  lines.push(table(rows), "");
  if (report.dbRoundTrips) {
    const d = report.dbRoundTrips;
    lines.push(
      `database round-trips per sign-in: ${d.flow.toFixed(1)} (acs ${d.acs.toFixed(1)}, portal ${d.portal.toFixed(1)}, go ${d.go.toFixed(1)})`,
    );
  }
  for (const phase of [report.single, ...report.rounds]) {
    const cpu = phase.cpuMsPerSignIn;
    if (!cpu) continue;
    const total = cpu.server + cpu.sandbox + cpu.loadGenerator;
    lines.push(
      `CPU per sign-in, ${phase.name}: server ${cpu.server.toFixed(1)} ms, AWS sandbox ${cpu.sandbox.toFixed(1)} ms, ` +
        `load generator ${cpu.loadGenerator.toFixed(1)} ms: ${report.cores} idle cores would do ` +
        `${((report.cores * 1000) / total).toFixed(0)} sign-ins/s (the server alone: ${((report.cores * 1000) / cpu.server).toFixed(0)})`,
    );
  }
  if (report.stepCpu) {
    const cost = (s: StepCpu) =>
      `${s.step} ${s.serverMs.toFixed(2)} ms${s.sandboxMs >= 0.05 ? ` (+ sandbox ${s.sandboxMs.toFixed(2)} ms)` : ""}`;
    lines.push(`CPU per request of each step alone, server: ${report.stepCpu.map(cost).join(", ")}`);
  }
  for (const a of report.acs) {
    lines.push(
      `ACS in-process, ${a.groups} groups (${(a.responseBytes / 1024).toFixed(1)} KB): Jetway ${a.jetwayMs.toFixed(2)} ms, ` +
        `node-saml validatePostResponseAsync ${a.nodeSamlMs.toFixed(2)} ms: ${a.ratio.toFixed(2)}×`,
    );
  }
  lines.push(
    `server RSS / PSS (all processes): ${report.rssStartMb.toFixed(0)} / ${report.pssStartMb.toFixed(0)} MB before load` +
      report.rounds
        .map((r, i) => `, ${r.rssEndMb?.toFixed(0)} / ${r.pssEndMb?.toFixed(0)} MB after round ${i + 1}`)
        .join("") +
      (report.rssGrowthPercent !== undefined ? ` (${report.rssGrowthPercent.toFixed(1)} %)` : ""),
  );
  if (report.processesEnd)
    lines.push(
      `RSS / PSS per process after the last round: ` +
        report.processesEnd.map((p) => `${p.name} ${p.rssMb.toFixed(0)} / ${p.pssMb.toFixed(0)} MB`).join(", "),
    );
  const failed = [report.warmup, report.single, ...report.rounds].filter((p) => p.errors > 0);
  for (const phase of failed) {
    lines.push(`errors in ${phase.name}: ${JSON.stringify(phase.errorKinds)}; first: ${phase.errorSamples.join("; ")}`);
  }
  lines.push(
    "",
    table([
      ["target (issue 12)", "measured", "must reach", ""],
      ...report.targets.map((t) => [t.what, t.value, t.target, t.met ? "ok" : "MISSED"]),
    ]),
  );
  return lines.join("\n");
}
