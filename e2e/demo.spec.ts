import { spawn, type ChildProcess } from "node:child_process";
import { ROOT_DIR, USERS } from "./support/constants";
import { expect, test } from "./support/fixtures";
import { IdpLoginPage } from "./support/idp-login-page";
import { PortalPage } from "./support/portal-page";
import { commandLine, isPortFree, processGroup, processTree, stillRunning, waitFor } from "./support/processes";
import { SandboxConsolePage } from "./support/sandbox-console-page";

/**
 * The README's Quick start, run as written: `npm run demo` from the repository root, as a
 * terminal would run it (its own process group, Ctrl-C = SIGINT to that group). The test follows
 * the URL the demo prints, signs in as alice at the demo IdP, opens her console tile and reaches
 * the AWS sandbox's console page; then Ctrl-C must stop all three services and leave nothing
 * behind.
 *
 * `npm test` has just built Jetway: the demo must reuse that build (scripts/demo.sh rebuilds only
 * when a source is newer than .next/BUILD_ID). A rebuild here would also replace the build under
 * the other specs' running Jetway, so it is a failure, not a slow pass.
 *
 * The demo's ports are fixed (README): 3000 (Jetway), 8089 (IdP), 4566 (sandbox).
 */

const DEMO_PORTS = { jetway: 3000, idp: 8089, sandbox: 4566 };
const ALICE_ASSUMED_ROLE_ARN = `arn:aws:sts::111111111111:assumed-role/ReadOnly/${USERS.alice.email}`;

interface RunningDemo {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startDemo(): RunningDemo {
  // The developer's shell environment, minus what would point the demo elsewhere than the README says.
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name === "DATABASE_URL" || name === "PORT" || name.startsWith("JETWAY_")) delete env[name];
  }
  const child = spawn("npm", ["run", "demo"], {
    cwd: ROOT_DIR,
    env,
    detached: true, // a process group of its own, like a shell job; Ctrl-C signals the whole group
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** SIGKILL to whatever is left of the group: only after a failure, so the next run finds free ports. */
function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

test.describe("npm run demo (README Quick start)", () => {
  test.describe.configure({ timeout: 240_000 });

  let demo: RunningDemo | undefined;

  test.afterEach(async () => {
    if (demo?.child.pid && processGroup(demo.child.pid).length > 0) killGroup(demo.child.pid);
  });

  test("starts, takes alice to the sandbox console through the demo IdP, and stops on Ctrl-C", async ({ page }) => {
    for (const [name, port] of Object.entries(DEMO_PORTS)) {
      expect(await isPortFree(port), `port ${port} (the demo's ${name}) is taken: stop the other demo first`).toBe(
        true,
      );
    }

    const started = Date.now();
    demo = startDemo();
    const pgid = demo.child.pid!;
    const running = demo;

    // The URL the demo prints once everything answers ("Jetway is running … Open:\n\n    <url>").
    const printed = await waitFor(
      "the demo to print its URL",
      async () => {
        if (running.child.exitCode !== null)
          throw new Error(`npm run demo exited (code ${running.child.exitCode}):\n${running.output()}`);
        return /Jetway is running[^\n]*Open:\s+(http:\/\/\S+)/.exec(running.output())?.[1];
      },
      180_000,
    );
    const startSeconds = (Date.now() - started) / 1000;
    const out = demo.output();
    expect(printed).toBe(`http://127.0.0.1:${DEMO_PORTS.jetway}`);
    expect(out, "the demo rebuilt Jetway although npm test had just built it").not.toContain("building Jetway");
    expect(out, "the demo ran npm ci although node_modules is up to date").not.toContain("installing npm packages");
    const idpBaseUrl = /IdP (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    const sandboxBaseUrl = /AWS sandbox (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(idpBaseUrl).toBe(`http://127.0.0.1:${DEMO_PORTS.idp}`);
    expect(sandboxBaseUrl).toBe(`http://127.0.0.1:${DEMO_PORTS.sandbox}`);
    test
      .info()
      .annotations.push({ type: "demo ready", description: `${startSeconds.toFixed(1)} s after npm run demo` });

    // Everything the demo started, as seen now: the check after Ctrl-C is that none of it is left.
    const demoPids = [...new Set([...processTree(pgid), ...processGroup(pgid)])];
    expect(demoPids.map(commandLine).join("\n")).toMatch(/jetway-(supervisor|worker|server)|server\/dist\/main\.cjs/);
    expect(demoPids.map(commandLine).join("\n")).toMatch(/php -S 127\.0\.0\.1:8089/);

    // The person's path: the printed URL → the demo IdP's login form → the portal → a tile.
    await page.goto(printed);
    await new IdpLoginPage(page, idpBaseUrl).signIn(USERS.alice);
    const portal = new PortalPage(page);
    await expect(portal.userEmail).toHaveText(USERS.alice.email);
    const tile = portal.roleTile("prod", "ReadOnly");
    await expect(tile).toHaveCount(1);
    await portal.openConsoleLink(tile).click();

    const consolePage = new SandboxConsolePage(page, `${sandboxBaseUrl}/console`);
    await consolePage.expectOpen();
    await expect(consolePage.assumedRoleArn).toHaveText(ALICE_ASSUMED_ROLE_ARN);
    await expect(consolePage.issuer).toHaveText(printed);

    // Ctrl-C in the terminal: SIGINT to the foreground process group.
    process.kill(-pgid, "SIGINT");
    const exit = await Promise.race([
      demo.exited,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`npm run demo still running 30 s after SIGINT:\n${running.output()}`)),
          30_000,
        ),
      ),
    ]);
    test.info().annotations.push({ type: "demo exit", description: JSON.stringify(exit) });
    const after = demo.output();
    for (const service of ["Jetway", "AWS sandbox", "IdP"]) expect(after).toContain(`[demo] ${service} stopped`);

    // Nothing left: no process of the group or of the tree seen while it ran, and the ports free.
    await waitFor(
      "every demo process to exit",
      () => stillRunning(demoPids).length === 0 && processGroup(pgid).length === 0,
      10_000,
    ).catch(() => undefined);
    const left = [...new Set([...stillRunning(demoPids), ...processGroup(pgid)])];
    expect(
      left.map((pid) => `${pid} ${commandLine(pid)}`),
      "processes left after Ctrl-C",
    ).toEqual([]);
    for (const [name, port] of Object.entries(DEMO_PORTS)) {
      expect(await isPortFree(port), `port ${port} (${name}) still answers after Ctrl-C`).toBe(true);
    }
  });
});
