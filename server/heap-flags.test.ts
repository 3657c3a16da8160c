import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HEAP_FLAGS, heapFlagsNotIn, WORKER_MALLOC_TUNABLES, workerEnv } from "./heap-flags";

describe("heap flags", () => {
  it("are what npm start passes to node", () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toContain(`node ${HEAP_FLAGS.join(" ")} server/dist/main.cjs`);
  });

  it("leave the operator's own values alone", () => {
    expect(heapFlagsNotIn("")).toEqual([...HEAP_FLAGS]);
    expect(heapFlagsNotIn("--max-old-space-size=2048")).toEqual(["--max-semi-space-size=8"]);
    expect(heapFlagsNotIn(HEAP_FLAGS.join(" "))).toEqual([]);
  });

  it("give workers a fixed malloc threshold, unless the operator set GLIBC_TUNABLES", () => {
    expect(workerEnv(undefined)).toEqual({ GLIBC_TUNABLES: WORKER_MALLOC_TUNABLES });
    expect(workerEnv("glibc.malloc.arena_max=2")).toEqual({});
  });
});
