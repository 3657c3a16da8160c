import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { isForgetMessage, tellSiblings } from "./sibling-workers";

const execFileAsync = promisify(execFile);

describe("sibling workers", () => {
  it("relays a worker's change to every other worker of the server, and to no one else", async () => {
    const script = path.join(__dirname, "..", "..", "test", "support", "sibling-cluster.ts");
    const { stdout } = await execFileAsync(process.execPath, ["--import", "tsx", script], { timeout: 60_000 });
    const reports = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { worker: number; heard: unknown });
    expect(reports.map((r) => r.worker).sort()).toEqual([2, 3]);
    expect(reports.map((r) => r.heard)).toEqual([
      ["a", "b"],
      ["a", "b"],
    ]);
  });

  it("does nothing outside a cluster worker", () => {
    expect(() => tellSiblings("sessions", ["x"])).not.toThrow();
  });

  it("recognises only its own messages", () => {
    expect(isForgetMessage({ type: "jetway.forget", cache: "sessions", keys: ["a"] })).toBe(true);
    expect(isForgetMessage({ type: "jetway.forget", cache: "rules" })).toBe(true);
    expect(isForgetMessage({ type: "jetway.forget", cache: "sessions", keys: [1] })).toBe(false);
    expect(isForgetMessage({ type: "other", cache: "sessions" })).toBe(false);
    expect(isForgetMessage(null)).toBe(false);
  });
});
