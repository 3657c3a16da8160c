import cluster from "node:cluster";
import { onSiblingChange, relaySiblingMessages, tellSiblings } from "@/lib/cache/sibling-workers";

/**
 * A small cluster for lib/cache/sibling-workers.test.ts: a primary relaying, three workers. Worker
 * 1 tells the others that "sessions" changed (keys a and b); each worker reports what it was told
 * to forget on stdout, as JSON, then all exit.
 */
if (cluster.isPrimary) {
  relaySiblingMessages();
  const workers = [1, 2, 3].map((n) => cluster.fork({ SIBLING_N: String(n) }));
  let ready = 0;
  let heard = 0;
  cluster.on("message", (worker, message: unknown) => {
    const m = message as { ready?: boolean; heard?: unknown };
    if (m.ready && ++ready === workers.length) workers[0]!.send({ speak: true });
    if (m.heard !== undefined) {
      console.log(JSON.stringify({ worker: worker.id, heard: m.heard }));
      if (++heard === workers.length - 1) for (const w of workers) w.kill();
    }
  });
} else {
  onSiblingChange("sessions", (keys) => process.send?.({ heard: keys ?? "all" }));
  onSiblingChange("rules", () => process.send?.({ heard: "rules" }));
  process.on("message", (message: { speak?: boolean }) => {
    if (message.speak) tellSiblings("sessions", ["a", "b"]);
  });
  process.send?.({ ready: true });
}
