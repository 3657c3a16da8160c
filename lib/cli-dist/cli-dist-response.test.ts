import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { cliDistResponse } from "./cli-dist-response";

describe("GET /cli/jetway.mjs (cliDistResponse)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "jetway-dist-route-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("serves the built file as JavaScript with its SHA-256 as ETag, revalidated on each use", async () => {
    const file = path.join(dir, "jetway.mjs");
    const text = "#!/usr/bin/env node\nconsole.log('jetway');\n";
    await writeFile(file, text);
    const response = await cliDistResponse(file);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("etag")).toBe(`"${createHash("sha256").update(text).digest("hex")}"`);
    expect(await response.text()).toBe(text);
  });

  it("answers 404 with a sentence and a reference when the CLI was not built", async () => {
    const response = await cliDistResponse(path.join(dir, "missing.mjs"));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const reference = response.headers.get("x-jetway-reference");
    expect(reference).toMatch(/^JW-/);
    expect(await response.text()).toBe(
      `The jetway command-line tool was not built on this server: its operator runs \`npm run build\` (or \`npm run build:cli\`). Reference: ${reference}\n`,
    );
  });
});
