import { describe, expect, it } from "vitest";
import { onShutdown, runShutdownTasks } from "./shutdown";

describe("shutdown tasks", () => {
  it("runs each registered task once, and says which finished, failed or overran", async () => {
    const ran: string[] = [];
    onShutdown("quick", async () => {
      ran.push("quick");
    });
    onShutdown("failing", async () => {
      ran.push("failing");
      throw new Error("boom");
    });
    onShutdown("stuck", () => new Promise<void>(() => ran.push("stuck")));
    const results = await runShutdownTasks(50);
    expect(results).toEqual([
      { name: "quick", ok: true },
      { name: "failing", ok: false },
      { name: "stuck", ok: false },
    ]);
    expect(ran).toEqual(["quick", "failing", "stuck"]);
    expect(await runShutdownTasks(50)).toEqual([]);
  });
});
