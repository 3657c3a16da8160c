import { open, type FileHandle } from "node:fs/promises";
import type { AuditSinkConfig } from "@/lib/config/config-schema";
import { log } from "@/lib/log";
import type { SinkTransport } from "./sink-transport";

type FileSinkConfig = Extract<AuditSinkConfig, { type: "file" }>;

/** Open audit files by path, shared by every file sink of the process, closed on SIGHUP. */
const openFiles = new Map<string, Promise<FileHandle>>();
let sighupHandled = false;

/**
 * Closes every audit file; the next batch opens its file again (creating it if a log rotator
 * moved it away). Jetway does this on SIGHUP, as logrotate's `postrotate` expects.
 */
export async function reopenAuditFiles(): Promise<void> {
  const handles = [...openFiles.values()];
  openFiles.clear();
  await Promise.all(handles.map(async (h) => (await h.catch(() => null))?.close().catch(() => undefined)));
}

/** Installs the SIGHUP handler once, when the first file sink is used (a process without one keeps Node's default). */
function handleSighup(): void {
  if (sighupHandled) return;
  sighupHandled = true;
  process.on("SIGHUP", () => {
    log.info("audit files reopened (SIGHUP)", { files: openFiles.size });
    void reopenAuditFiles();
  });
}

async function fileFor(path: string): Promise<FileHandle> {
  let handle = openFiles.get(path);
  if (!handle) {
    // Owner read-write, group read: the events name people and their addresses.
    handle = open(path, "a", 0o640);
    openFiles.set(path, handle);
    handle.catch(() => openFiles.delete(path));
  }
  return handle;
}

/**
 * The `file` sink: one JSON object per line (the stream event), appended, then fsync'd before the
 * batch counts as delivered, so a crash right after loses nothing that was acknowledged. For a log
 * shipper (Vector, Fluent Bit, the Elastic agent) that tails the file.
 */
export function createFileSink(sink: FileSinkConfig): SinkTransport {
  handleSighup();
  return {
    async send(events) {
      try {
        const file = await fileFor(sink.path);
        await file.appendFile(events.map((e) => `${JSON.stringify(e)}\n`).join(""), "utf8");
        await file.sync();
        return { ok: true };
      } catch (error) {
        // A broken handle is dropped so that the next attempt opens the file again.
        const stale = openFiles.get(sink.path);
        openFiles.delete(sink.path);
        await stale?.then((h) => h.close()).catch(() => undefined);
        const code = (error as NodeJS.ErrnoException).code;
        return { ok: false, retry: true, error: `cannot write ${sink.path}: ${code ?? (error as Error).message}` };
      }
    },
  };
}
