/**
 * V8's heap sizing for Jetway's server processes (issue 12). Left to its defaults, V8 lets a busy
 * process's young generation grow to 128 MB and its old generation far past what it keeps alive
 * (about 100 MB): 400-500 MB of RSS per process under load, against about 250 MB with these, for
 * the same CPU (`npm run bench` shows both). Semi-spaces of 8 MB rather than 16 keep 16 MB less
 * young generation per process; CPU per request measured the same (scripts: step-cpu, alternating
 * runs). A process whose live heap ever reached the old-space limit would stop (and, as a worker,
 * be replaced). An operator's own values (NODE_OPTIONS or node's arguments) win.
 */
export const HEAP_FLAGS = ["--max-semi-space-size=8", "--max-old-space-size=384"] as const;

/** HEAP_FLAGS that `given` (node's arguments and NODE_OPTIONS, as text) does not set already. */
export function heapFlagsNotIn(given: string): string[] {
  return HEAP_FLAGS.filter((flag) => !given.includes(flag.split("=")[0] as string));
}

/**
 * glibc's malloc for the workers (issue 12). Left to its defaults, it raises its mmap threshold
 * (up to 32 MB) whenever a large block is freed, and with it the threshold above which it gives
 * freed memory back: what V8's compilers and parsers allocated while a worker warmed up then stays
 * in its arenas, 40-80 MB per worker never used again. A fixed threshold (128 KB, glibc's default
 * starting value) turns that adjustment off: large blocks are mapped and unmapped on their own, and
 * freed memory at the top of an arena is returned. An operator's own GLIBC_TUNABLES wins; other C
 * libraries ignore it.
 */
export const WORKER_MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=131072";

/** What the supervisor adds to a worker's environment: WORKER_MALLOC_TUNABLES unless GLIBC_TUNABLES (`given`) is set. */
export function workerEnv(given: string | undefined): Record<string, string> {
  return given ? {} : { GLIBC_TUNABLES: WORKER_MALLOC_TUNABLES };
}
