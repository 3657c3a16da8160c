import { randomBytes } from "node:crypto";

let last = { ms: -1, counter: 0 };

/**
 * A UUID version 7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then 12 bits that count events
 * within the millisecond in this process (RFC 9562 §6.2, method 1), then random bits. The audit
 * rows' ids used to be CUIDs, which also grow with time, so the audit log's "newest first" order
 * by (at, id) stays the order the events were written in.
 */
export function newAuditEventId(now = Date.now()): string {
  if (now > last.ms) last = { ms: now, counter: randomBytes(1)[0]! & 0x3f };
  else last = { ms: last.ms, counter: last.counter + 1 };
  // 4096 events in one millisecond: borrow the next millisecond rather than wrap.
  if (last.counter > 0xfff) last = { ms: last.ms + 1, counter: 0 };
  const bytes = randomBytes(16);
  bytes.writeUIntBE(last.ms, 0, 6);
  bytes[6] = 0x70 | (last.counter >> 8);
  bytes[7] = last.counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
