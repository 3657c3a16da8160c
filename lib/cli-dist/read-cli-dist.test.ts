import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { readCliDist } from "./read-cli-dist";

describe("readCliDist", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "jetway-dist-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("answers the file and the SHA-256 that sha256sum prints, read again after a rebuild", async () => {
    const file = path.join(dir, "jetway.mjs");
    await writeFile(file, "#!/usr/bin/env node\nconsole.log(1);\n");
    const first = await readCliDist(file);
    expect(first?.bytes.toString()).toBe("#!/usr/bin/env node\nconsole.log(1);\n");
    expect(first?.sha256).toBe(createHash("sha256").update("#!/usr/bin/env node\nconsole.log(1);\n").digest("hex"));
    expect(first?.sha256).toMatch(/^[0-9a-f]{64}$/);
    await writeFile(file, "#!/usr/bin/env node\nconsole.log(2);\n");
    expect((await readCliDist(file))?.sha256).not.toBe(first?.sha256);
  });

  it("answers undefined when the CLI was not built", async () => {
    expect(await readCliDist(path.join(dir, "missing.mjs"))).toBeUndefined();
  });
});
