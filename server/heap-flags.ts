/**
 * V8's heap sizing for Jetway's server processes (issue 12). Left to its defaults, V8 lets a busy
 * process's young generation grow to 128 MB and its old generation far past what it keeps alive
 * (about 100 MB): 400-500 MB of RSS per process under load, against about 250 MB with these, for
 * the same CPU (`npm run bench` shows both). A process whose live heap ever reached the old-space
 * limit would stop (and, as a worker, be replaced). An operator's own values (NODE_OPTIONS or
 * node's arguments) win.
 */
export const HEAP_FLAGS = ["--max-semi-space-size=16", "--max-old-space-size=384"] as const;

/** HEAP_FLAGS that `given` (node's arguments and NODE_OPTIONS, as text) does not set already. */
export function heapFlagsNotIn(given: string): string[] {
  return HEAP_FLAGS.filter((flag) => !given.includes(flag.split("=")[0] as string));
}
