/**
 * `npm start -- [-p PORT] [-H HOSTNAME] [--keepAliveTimeout MS]`: the options of `next start`
 * that Jetway's server keeps. The port is -p, else PORT, else 3000; without -H it listens on every
 * interface, as `next start` does.
 */
export interface ServerArgs {
  port: number;
  hostname?: string;
  keepAliveTimeoutMs?: number;
}

export const SERVER_USAGE = "usage: npm start -- [-p PORT] [-H HOSTNAME] [--keepAliveTimeout MS]";

function integer(name: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n < min || n > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value ?? "")}`);
  return n;
}

export function parseServerArgs(argv: readonly string[], defaultPort: number): ServerArgs {
  const args: ServerArgs = { port: defaultPort };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    if (flag === "-p" || flag === "--port") args.port = integer("-p", value(), 1, 65535);
    else if (flag === "-H" || flag === "--hostname") {
      const host = value();
      if (!host) throw new Error(`-H needs a host name or address\n${SERVER_USAGE}`);
      args.hostname = host;
    } else if (flag === "--keepAliveTimeout")
      args.keepAliveTimeoutMs = integer("--keepAliveTimeout", value(), 0, 2 ** 31 - 1);
    else throw new Error(`unknown argument ${JSON.stringify(argv[i])}\n${SERVER_USAGE}`);
  }
  return args;
}

/** Ends a server entry that cannot start: the message alone on stderr (no stack trace), exit code 1. */
export function failStart(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

/** The command line's arguments (node's own removed), or failStart with what is wrong in them. */
export function serverArgsOrExit(defaultPort: number, argv: readonly string[] = process.argv.slice(2)): ServerArgs {
  try {
    return parseServerArgs(argv, defaultPort);
  } catch (error) {
    failStart((error as Error).message);
  }
}
