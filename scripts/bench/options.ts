import { z } from "zod";

/**
 * `npm run bench -- [options]`. Every phase is bounded in count and in time; everything listens
 * on 127.0.0.1 only.
 */
export const USAGE = `npm run bench -- [options]

  --users N          concurrent virtual browsers in the load rounds (default 16)
  --duration S       seconds per load round (default 10)
  --rounds N         load rounds against the same server; RSS is compared between them (default 2)
  --max-flows N      sign-ins per load round at most (default 4000)
  --single N         sign-ins by one browser alone, for the single-flow latencies, then as many
                     requests of each step alone, for the CPU per step (default 200)
  --warmup N         sign-ins before anything is measured (default 300)
  --groups N         groups in each response (default 5)
  --people N         distinct people signing in (default 1000)
  --workers N        JETWAY_WORKERS for the server (default: the server's own, one per core)
  --acs-rounds N     alternating rounds of the in-process ACS comparison (default 12)
  --cpu-prof         write a V8 CPU profile of every server process to .bench/cpu-profiles
  --postgres         a throwaway PostgreSQL cluster instead of SQLite
  --json             print the results as JSON instead of a table
  --smoke            a few seconds: 4 browsers, 1 short round (what the test suite runs)
  --help             this text`;

const optionsSchema = z.strictObject({
  users: z.coerce.number().int().min(1).max(256).default(16),
  duration: z.coerce.number().min(0.5).max(300).default(10),
  rounds: z.coerce.number().int().min(1).max(5).default(2),
  maxFlows: z.coerce.number().int().min(1).max(50_000).default(4000),
  single: z.coerce.number().int().min(0).max(5000).default(200),
  warmup: z.coerce.number().int().min(0).max(5000).default(300),
  groups: z.coerce.number().int().min(1).max(500).default(5),
  people: z.coerce.number().int().min(1).max(100_000).default(1000),
  workers: z.coerce.number().int().min(1).max(64).optional(),
  acsRounds: z.coerce.number().int().min(1).max(100).default(12),
  cpuProf: z.boolean().default(false),
  postgres: z.boolean().default(false),
  json: z.boolean().default(false),
  smoke: z.boolean().default(false),
});

export type BenchOptions = z.infer<typeof optionsSchema>;

const FLAGS = new Set(["cpu-prof", "postgres", "json", "smoke"]);
const SMOKE = { users: 4, duration: 2, rounds: 1, maxFlows: 300, single: 10, warmup: 20, acsRounds: 2 };

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** Parses argv (after the script's name); throws with the usage on anything unknown. */
export function parseBenchOptions(argv: string[]): BenchOptions | "help" {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") return "help";
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1]) throw new Error(`unexpected argument ${JSON.stringify(arg)}\n\n${USAGE}`);
    const name = match[1];
    if (FLAGS.has(name)) {
      raw[camel(name)] = true;
      continue;
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value\n\n${USAGE}`);
    raw[camel(name)] = value;
  }
  const smoke = raw.smoke === true;
  const parsed = optionsSchema.safeParse(smoke ? { ...SMOKE, ...raw } : raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join(".") || "options"}: ${issue?.message ?? "invalid"}\n\n${USAGE}`);
  }
  return parsed.data;
}
