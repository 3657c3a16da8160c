import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";
import { readServerSettings } from "./env-early";

const good = { JETWAY_BASE_URL: "https://jetway.example.com", JETWAY_SECRET: "x".repeat(32) };

describe("readServerSettings (the supervisor's reading, without zod)", () => {
  it("reads PORT (default 3000) and JETWAY_WORKERS (default: one per core)", () => {
    expect(readServerSettings({})).toEqual({ port: 3000, workers: undefined });
    expect(readServerSettings({ PORT: " ", JETWAY_WORKERS: "" })).toEqual({ port: 3000, workers: undefined });
    expect(readServerSettings({ PORT: "8080", JETWAY_WORKERS: "4" })).toEqual({ port: 8080, workers: 4 });
  });

  it("answers undefined for a bad value, which the whole environment's check then names", () => {
    for (const bad of [{ PORT: "http" }, { PORT: "0" }, { JETWAY_WORKERS: "1.5" }, { JETWAY_WORKERS: "257" }])
      expect(readServerSettings(bad)).toBeUndefined();
  });

  it("agrees with lib/env.ts's schema on every value", () => {
    const values = ["", " ", "0", "1", "2", "1.5", "-1", "256", "257", "3000", "65535", "65536", "x", "1e3", " 7 "];
    for (const PORT of values)
      for (const JETWAY_WORKERS of values) {
        const early = readServerSettings({ PORT, JETWAY_WORKERS });
        let full: { port: number; workers: number | undefined } | undefined;
        try {
          const env = parseEnv({ ...good, PORT, JETWAY_WORKERS });
          full = { port: env.PORT, workers: env.JETWAY_WORKERS };
        } catch {
          full = undefined;
        }
        expect(early, JSON.stringify({ PORT, JETWAY_WORKERS })).toEqual(full);
      }
  });
});
