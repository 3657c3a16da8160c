import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import type { CliContext } from "@/cli/src/context";
import { run } from "@/cli/src/main";

/** A CliContext in a temporary home: captured output, instant sleeps (recorded), no real browser. */
export interface TestCli {
  home: string;
  ctx: CliContext;
  out: string;
  err: string;
  sleeps: number[];
  opened: string[];
  /** Runs `jetway <argv>` and answers its exit code; out/err hold this run's output only. */
  run(...argv: string[]): Promise<number>;
  cleanup(): Promise<void>;
}

export async function makeTestCli(env: Record<string, string | undefined> = {}): Promise<TestCli> {
  const home = await mkdtemp(path.join(os.tmpdir(), "jetway-cli-"));
  const cli: TestCli = {
    home,
    out: "",
    err: "",
    sleeps: [],
    opened: [],
    ctx: {
      env: { PATH: process.env.PATH, ...env },
      stdout: (text) => void (cli.out += text),
      stderr: (text) => void (cli.err += text),
      fetch: globalThis.fetch,
      now: () => Date.now(),
      sleep: async (ms) => void cli.sleeps.push(ms),
      openUrl: async (url) => {
        cli.opened.push(url);
        return true;
      },
      homeDir: home,
      hostname: "laptop-7",
      osUser: "ada",
      nodePath: process.execPath,
      scriptPath: "/opt/jetway tools/jetway.mjs",
    },
    run: async (...argv) => {
      cli.out = "";
      cli.err = "";
      return run(argv, cli.ctx);
    },
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
  return cli;
}
