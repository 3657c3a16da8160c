import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * "Every command in the README is run by a test or by .ci/run." This module finds the commands
 * in README.md and lists, for each, what runs it; test/readme/readme.test.ts checks both lists
 * against each other and against the files that are said to run them.
 *
 * A command is: every line of a ```sh / ```bash / ```shell / ```console block (comments
 * removed, `&&` chains split), and every inline `code span` outside blocks that starts with a
 * program name (npm, npx, node, openssl, aws, apt-get, …). Blocks whose info string says
 * `aws-side` hold AWS CLI examples that run against an AWS account, never on the Jetway host:
 * they are exempt, and only `aws …` lines may be in them.
 */

export const ROOT_DIR = path.resolve(__dirname, "..", "..");
export const README_FILE = path.join(ROOT_DIR, "README.md");

export interface ReadmeCommand {
  command: string;
  /** 1-based line in README.md. */
  line: number;
  kind: "block" | "inline";
  awsSide: boolean;
}

const SHELL_LANGUAGES = new Set(["sh", "bash", "shell", "console", "zsh"]);
const PROGRAMS = [
  "npm",
  "npx",
  "node",
  "tsx",
  "openssl",
  "aws",
  "apt-get",
  "apt",
  "curl",
  "psql",
  "createdb",
  "bash",
  "sh",
  "sudo",
  "systemctl",
  "docker",
  "git",
  "pg_ctlcluster",
  "initdb",
  "xmlsec1",
  "php",
];
const ENV_PREFIX = /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*/;

/** A program name and at least one argument (a lone `aws` is the partition, not a command). */
export function isCommandLike(text: string): boolean {
  const words = text.replace(ENV_PREFIX, "").split(/\s+/);
  return words.length >= 2 && PROGRAMS.includes(words[0] ?? "");
}

function splitCommands(line: string): string[] {
  return line
    .split("&&")
    .map((c) => c.trim().replace(/\s+/g, " "))
    .filter(Boolean);
}

/** Removes a shell comment (a # at the start or after whitespace, outside quotes: good enough here). */
function stripComment(line: string): string {
  const match = /(^|\s)#/.exec(line);
  return match ? line.slice(0, match.index) : line;
}

export function extractCommands(markdown: string): ReadmeCommand[] {
  const lines = markdown.split("\n");
  const found: ReadmeCommand[] = [];
  let fence: { info: string[]; shell: boolean; awsSide: boolean } | null = null;
  let pending = "";
  let pendingLine = 0;
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const fenceMatch = /^\s*```(.*)$/.exec(raw);
    if (fenceMatch) {
      if (fence) {
        fence = null;
      } else {
        const info = (fenceMatch[1] ?? "").trim().split(/\s+/).filter(Boolean);
        fence = { info, shell: SHELL_LANGUAGES.has(info[0] ?? ""), awsSide: info.includes("aws-side") };
      }
      return;
    }
    if (fence) {
      if (!fence.shell) return;
      const text = stripComment(raw).trim();
      if (!text && !pending) return;
      if (text.endsWith("\\")) {
        if (!pending) pendingLine = lineNo;
        pending += `${text.slice(0, -1)} `;
        return;
      }
      const whole = `${pending}${text}`;
      const at = pending ? pendingLine : lineNo;
      pending = "";
      for (const command of splitCommands(whole))
        found.push({ command, line: at, kind: "block", awsSide: fence.awsSide });
      return;
    }
    for (const span of raw.matchAll(/`([^`\n]+)`/g)) {
      const text = (span[1] ?? "").trim();
      if (!isCommandLike(text)) continue;
      for (const command of splitCommands(text)) found.push({ command, line: lineNo, kind: "inline", awsSide: false });
    }
  });
  return found;
}

export function readmeCommands(): ReadmeCommand[] {
  return extractCommands(readFileSync(README_FILE, "utf8"));
}

/** The code of every fenced block of one language (e.g. "sql"), in order. */
export function readmeBlocks(language: string): string[] {
  const blocks: string[] = [];
  let inFence = false;
  let current: string[] | null = null;
  for (const line of readFileSync(README_FILE, "utf8").split("\n")) {
    const fence = /^\s*```(\S*)/.exec(line);
    if (fence) {
      if (inFence && current) blocks.push(current.join("\n"));
      current = !inFence && fence[1] === language ? [] : null;
      inFence = !inFence;
    } else if (current) {
      current.push(line.trim());
    }
  }
  return blocks;
}

/** The one README command equal to `command` (a test that runs it asks for it by its text). */
export function readmeCommand(command: string): string {
  const matches = readmeCommands().filter((c) => c.command === command);
  if (matches.length === 0)
    throw new Error(`README.md has no command \`${command}\` any more: update the test that runs it`);
  return command;
}

export interface CommandRun {
  /** The command exactly as README.md writes it (placeholders such as <name> included). */
  command: string;
  /** The file whose run executes it: a test, a spec, scripts/test.sh (npm test) or .ci/run. */
  runBy: string;
  /** Text in that file that is the command being run there. */
  evidence: string;
}

const OPERATOR_TEST = "scripts/operator-commands.test.ts";
const BACKUP_TEST = "scripts/db-backup.test.ts";
const CLI_SETUP_TEST = "cli/integration/real-jetway.test.ts";

/** What runs each README command. */
export const COMMAND_RUNS: CommandRun[] = [
  { command: "npm run demo", runBy: "e2e/demo.spec.ts", evidence: 'spawn("npm", ["run", "demo"]' },
  { command: "npm test", runBy: ".ci/run", evidence: "exec npm test" },
  // Printed (and run when root) by the system-packages step of npm test and npm run demo.
  { command: "apt-get install", runBy: "scripts/ensure-system-deps.sh", evidence: "apt-get install -y" },
  { command: "openssl rand -base64 48", runBy: OPERATOR_TEST, evidence: 'readmeCommand("openssl rand -base64 48")' },
  {
    command: "npm run keys:rotate -- aws stage",
    runBy: "e2e/replicas.spec.ts",
    evidence: '"keys:rotate", "--", "aws", "stage"',
  },
  {
    command: "npm run keys:rotate -- aws promote",
    runBy: "e2e/replicas.spec.ts",
    evidence: '"keys:rotate", "--", "aws", "promote"',
  },
  {
    command: "npm run keys:rotate -- aws status",
    runBy: OPERATOR_TEST,
    evidence: 'readmeCommand("npm run keys:rotate -- aws status")',
  },
  { command: "npm run db:migrate", runBy: OPERATOR_TEST, evidence: 'readmeCommand("npm run db:migrate")' },
  // "Backups": an online backup while events are written, the restore, and PostgreSQL's tools.
  {
    command: "npm run db:backup -- <backup file>",
    runBy: BACKUP_TEST,
    evidence: 'readmeCommand("npm run db:backup -- <backup file>")',
  },
  { command: "cp <backup file> data/jetway.db", runBy: BACKUP_TEST, evidence: '"cp <backup file> data/jetway.db"' },
  {
    command: "rm -f data/jetway.db-wal data/jetway.db-shm",
    runBy: BACKUP_TEST,
    evidence: '"rm -f data/jetway.db-wal data/jetway.db-shm"',
  },
  {
    command: 'pg_dump --format=custom --file=<backup file> "<database URL>"',
    runBy: BACKUP_TEST,
    evidence: `readmeCommand('pg_dump --format=custom --file=<backup file> "<database URL>"')`,
  },
  {
    command: 'pg_restore --no-owner --exit-on-error --dbname="<new database URL>" <backup file>',
    runBy: BACKUP_TEST,
    evidence: `readmeCommand('pg_restore --no-owner --exit-on-error --dbname="<new database URL>" <backup file>')`,
  },
  {
    command: "DATABASE_URL=postgresql://jetway:<password>@<host>:5432/jetway npm run db:migrate",
    runBy: OPERATOR_TEST,
    evidence: '"DATABASE_URL=postgresql://jetway:<password>@<host>:5432/jetway npm run db:migrate"',
  },
  {
    command: "npm run db:new-migration -- <name>",
    runBy: OPERATOR_TEST,
    evidence: 'readmeCommand("npm run db:new-migration -- <name>")',
  },
  { command: "npm run db:generate", runBy: "scripts/test.sh", evidence: "npm run --silent db:generate" },
  { command: "npm ci", runBy: "scripts/test.sh", evidence: "npm ci --no-audit --no-fund" },
  { command: "npm run build", runBy: "scripts/test.sh", evidence: "run_step build npm run build" },
  {
    command: "npm run build:cli",
    runBy: "package.json",
    evidence: '"build": "npm run build:cli && npm run build:server && bash scripts/with-node.sh next build"',
  },
  {
    command: "npm start -- -H 127.0.0.1",
    runBy: "e2e/tls-proxy.spec.ts",
    evidence: 'npmStart: ["--", "-H", "127.0.0.1"]',
  },
  { command: "npm run dev", runBy: OPERATOR_TEST, evidence: 'readmeCommand("npm run dev")' },
  { command: "npm run bench", runBy: "e2e/bench.spec.ts", evidence: '"bench", "--", "--smoke", "--json"' },
  { command: "npm run test:unit", runBy: "scripts/test.sh", evidence: "npm run --silent test:unit" },
  { command: "npm run test:e2e", runBy: "scripts/test.sh", evidence: "npm run --silent test:e2e" },
  { command: "npm run lint", runBy: "scripts/test.sh", evidence: "npm run --silent lint" },
  { command: "npm run format:check", runBy: "scripts/test.sh", evidence: "npm run --silent format:check" },
  {
    command: "npm run format",
    runBy: "package.json",
    evidence: '"format": "bash scripts/with-node.sh prettier --write',
  },
  // The "Command line" setup, line by line against the CLI's real endpoints, the sandbox and the AWS CLI.
  { command: "mkdir -p ~/.local/bin", runBy: CLI_SETUP_TEST, evidence: 'readmeCommand("mkdir -p ~/.local/bin")' },
  {
    command: "curl -fsSL https://jetway.example.com/cli/jetway.mjs -o ~/.local/bin/jetway",
    runBy: CLI_SETUP_TEST,
    evidence: 'readmeCommand("curl -fsSL https://jetway.example.com/cli/jetway.mjs -o ~/.local/bin/jetway")',
  },
  {
    command: 'echo "<sha256 from the page> $HOME/.local/bin/jetway" | sha256sum -c -',
    runBy: CLI_SETUP_TEST,
    evidence: `readmeCommand('echo "<sha256 from the page> $HOME/.local/bin/jetway" | sha256sum -c -')`,
  },
  {
    command: "chmod +x ~/.local/bin/jetway",
    runBy: CLI_SETUP_TEST,
    evidence: 'readmeCommand("chmod +x ~/.local/bin/jetway")',
  },
  {
    command: "jetway login --url https://jetway.example.com",
    runBy: CLI_SETUP_TEST,
    evidence: 'readmeCommand("jetway login --url https://jetway.example.com")',
  },
  { command: "jetway configure", runBy: CLI_SETUP_TEST, evidence: 'readmeCommand("jetway configure")' },
  { command: "npx jetway --help", runBy: CLI_SETUP_TEST, evidence: 'readmeCommand("npx jetway --help")' },
];
