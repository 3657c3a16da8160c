import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { jetwayConfigSchema } from "@/lib/config/config-schema";
import { envSchema } from "@/lib/env";
import { COMMAND_RUNS, README_FILE, ROOT_DIR, extractCommands, readmeCommands } from "./readme-commands";

const readme = readFileSync(README_FILE, "utf8");
const read = (file: string) => readFileSync(path.join(ROOT_DIR, file), "utf8");

describe("every command in the README is run by a test or by .ci/run", () => {
  const commands = readmeCommands();

  it("finds the README's commands", () => {
    expect(commands.map((c) => c.command)).toContain("npm run demo");
    expect(commands.length).toBeGreaterThan(10);
  });

  it("each command has something that runs it", () => {
    const known = new Set(COMMAND_RUNS.map((r) => r.command));
    const unrun = commands
      .filter((c) => !c.awsSide && !known.has(c.command))
      .map((c) => `README.md:${c.line} \`${c.command}\``);
    expect(
      unrun,
      "add a test that runs these (and an entry in test/readme/readme-commands.ts), or mark AWS-side examples",
    ).toEqual([]);
  });

  it("only AWS CLI commands are exempt as AWS-side examples", () => {
    const awsSide = commands.filter((c) => c.awsSide);
    expect(awsSide.length).toBeGreaterThan(0);
    for (const c of awsSide) expect(c.command, `README.md:${c.line}`).toMatch(/^aws /);
    // An `aws …` command outside an aws-side block would be taken for one to run here.
    expect(commands.filter((c) => !c.awsSide && /^aws /.test(c.command))).toEqual([]);
  });

  it.each(COMMAND_RUNS)("`$command` is in the README and really run by $runBy", ({ command, runBy, evidence }) => {
    expect(
      commands.map((c) => c.command),
      "a stale entry: the README no longer has this command",
    ).toContain(command);
    expect(existsSync(path.join(ROOT_DIR, runBy)), `${runBy} does not exist`).toBe(true);
    expect(read(runBy), `${runBy} no longer runs it`).toContain(evidence);
  });

  it("the runners are part of the suite: .ci/run → npm test → scripts/test.sh → vitest and playwright projects", () => {
    expect(read(".ci/run")).toContain("exec npm test");
    expect(JSON.parse(read("package.json")).scripts.test).toBe("bash scripts/test.sh");
    const playwrightConfig = read("playwright.config.ts");
    for (const runBy of new Set(COMMAND_RUNS.map((r) => r.runBy))) {
      if (runBy.startsWith("e2e/"))
        expect(playwrightConfig, `no Playwright project runs ${runBy}`).toContain(`**/${path.basename(runBy)}`);
      if (runBy.endsWith(".test.ts"))
        expect(read("vitest.config.mts")).toContain(`"${runBy.split("/")[0]}/**/*.test.ts"`);
    }
  });

  it("extracts block lines, continuations, && chains and inline spans, skipping comments and prose", () => {
    const sample = [
      "Run `npm run demo` first; `next build` and `keys:rotate` are not commands.",
      "```sh",
      "npm ci && npx next build   # comment",
      "# a whole comment",
      "DATABASE_URL=postgresql://x npm run db:migrate \\",
      "  --verbose",
      "```",
      "```json",
      '{ "npm": "not a command" }',
      "```",
      "```sh aws-side",
      "aws iam list-roles",
      "```",
    ].join("\n");
    expect(extractCommands(sample)).toEqual([
      { command: "npm run demo", line: 1, kind: "inline", awsSide: false },
      { command: "npm ci", line: 3, kind: "block", awsSide: false },
      { command: "npx next build", line: 3, kind: "block", awsSide: false },
      { command: "DATABASE_URL=postgresql://x npm run db:migrate --verbose", line: 5, kind: "block", awsSide: false },
      { command: "aws iam list-roles", line: 12, kind: "block", awsSide: true },
    ]);
  });
});

/** The first cell of each row of the markdown table that follows `heading`. */
function tableKeys(heading: string): string[][] {
  const start = readme.indexOf(heading);
  expect(start, `README.md has no ${heading}`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  let inTable = false;
  for (const line of readme.slice(start).split("\n").slice(1)) {
    if (line.startsWith("|")) {
      inTable = true;
      const cells = line
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim());
      if (cells[0] && !/^-+$/.test(cells[0]) && cells[0] !== "variable" && cells[0] !== "key") rows.push(cells);
    } else if (inTable) {
      break;
    } else if (line.startsWith("#")) {
      break;
    }
  }
  return rows;
}

/** Every leaf key path of a zod schema: `a.b`, `list[].c`. */
function schemaPaths(schema: unknown, prefix = ""): string[] {
  const def = (schema as { _zod: { def: Record<string, unknown> } })._zod.def;
  if (def.type === "object") {
    return Object.entries(def.shape as Record<string, unknown>).flatMap(([key, value]) => {
      const inner = schemaPaths(value, prefix ? `${prefix}.${key}` : key);
      return inner.length > 0 ? inner : [prefix ? `${prefix}.${key}` : key];
    });
  }
  if (def.type === "array") return schemaPaths(def.element, `${prefix}[]`);
  // A discriminated union (audit.sinks[]: one shape per kind) documents the keys of every option, each once.
  if (def.type === "union" && def.discriminator)
    return [...new Set((def.options as unknown[]).flatMap((o) => schemaPaths(o, prefix)))];
  if (def.innerType) return schemaPaths(def.innerType, prefix);
  if (def.type === "pipe") return schemaPaths(def.in, prefix);
  return [];
}

describe("the configuration reference is complete", () => {
  it("the environment table lists every variable of lib/env.ts, each with a default", () => {
    const rows = tableKeys("### Environment");
    const documented = rows.flatMap((cells) => [...(cells[0] ?? "").matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    expect([...documented].sort()).toEqual(Object.keys(envSchema.shape).sort());
    for (const cells of rows) expect(cells[1], `${cells[0]}: default column`).toBeTruthy();
  });

  it("the configuration reference lists every key of lib/config/config-schema.ts, each with a default", () => {
    const rows = tableKeys("### Configuration reference");
    const documented = rows.map((cells) => (cells[0] ?? "").replace(/`/g, ""));
    expect([...documented].sort()).toEqual(schemaPaths(jetwayConfigSchema).sort());
    for (const cells of rows) expect(cells[1], `${cells[0]}: default column`).toBeTruthy();
  });
});
