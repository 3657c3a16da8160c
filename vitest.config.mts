import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.dirname(fileURLToPath(import.meta.url)) } },
  test: {
    include: [
      "lib/**/*.test.ts",
      "cli/**/*.test.ts",
      "sandbox/**/*.test.ts",
      "scripts/**/*.test.ts",
      "server/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    exclude: ["node_modules/**", "e2e/**", ".next/**", "tools/**"],
    environment: "node",
    env: { JETWAY_LOG_LEVEL: "warn" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One retry in CI against a machine's hiccup (several suites race real processes and
    // databases); a test that fails twice still fails the run.
    retry: process.env.CI ? 1 : 0,
  },
});
