import { configure } from "./commands/configure";
import { consoleCommand } from "./commands/console";
import { credentials } from "./commands/credentials";
import { env } from "./commands/env";
import { login } from "./commands/login";
import { logout } from "./commands/logout";
import { roles } from "./commands/roles";
import type { CliContext } from "./context";
import { CliError, EXIT } from "./errors";
import { CLI_VERSION, COMMAND_HELP, MAIN_HELP } from "./help";

const COMMANDS: Record<string, (ctx: CliContext, argv: string[]) => Promise<number>> = {
  login,
  logout,
  roles,
  credentials,
  configure,
  env,
  console: consoleCommand,
};

/**
 * Runs one command and answers its exit code. Every failure becomes one sentence on stderr: a
 * CliError its own, anything unexpected a generic one (the stack only with JETWAY_DEBUG=1).
 */
export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    const topic = command === "help" ? rest[0] : undefined;
    ctx.stdout(topic && COMMAND_HELP[topic] ? COMMAND_HELP[topic] : MAIN_HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === "--version" || command === "-v") {
    ctx.stdout(`${CLI_VERSION}\n`);
    return EXIT.ok;
  }
  const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!handler) {
    ctx.stderr(`jetway: "${command}" is not a command: see \`jetway --help\`.\n`);
    return EXIT.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    ctx.stdout(COMMAND_HELP[command] ?? MAIN_HELP);
    return EXIT.ok;
  }
  try {
    return await handler(ctx, rest);
  } catch (error) {
    if (error instanceof CliError) {
      ctx.stderr(`jetway: ${error.message}\n`);
      return error.exitCode;
    }
    const err = error as NodeJS.ErrnoException;
    const detail = err?.code && err.path ? `${err.code} on ${err.path}` : (err?.message ?? String(error));
    ctx.stderr(`jetway: ${command} failed unexpectedly (${detail}).\n`);
    if (ctx.env.JETWAY_DEBUG) ctx.stderr(`${err?.stack ?? ""}\n`);
    return EXIT.network;
  }
}
