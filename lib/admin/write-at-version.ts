import type { Db, Tx } from "@/lib/db";
import type { AdminResult } from "./action-state";

/**
 * What a versioned admin form edits. Each stored row carries a `version` that every write
 * increments; a form posts the version it was opened at, and a write at another one is refused.
 */
export type VersionedThing = "mapping" | "account" | "identity provider";

/** Who else may have changed it, besides another admin (said in the conflict message). */
const ALSO_CHANGED_BY: Partial<Record<VersionedThing, string>> = {
  "identity provider": "its metadata was refreshed",
};

/** The refusal of a write at a version that is no longer the stored one: one sentence for every form. */
export function conflictMessage(thing: VersionedThing, write: "update" | "delete"): string {
  const also = ALSO_CHANGED_BY[thing];
  return [
    `Someone else changed this ${thing} after you opened it${also ? ` (or ${also})` : ""},`,
    write === "update" ? "so your changes were not saved." : "so it was not deleted.",
    "Reload the page to see the current values,",
    `then ${write === "update" ? "apply your change" : "delete it"} again if it is still needed.`,
  ].join(" ");
}

export function notFoundMessage(thing: VersionedThing): string {
  return `This ${thing} no longer exists: someone removed it.`;
}

/** The steps of a versioned write, each given the transaction they all run in. */
export interface VersionedWrite<Row extends { version: number }, Prepared, T> {
  /** The row as stored now, or null when it is gone. */
  read(tx: Tx): Promise<Row | null>;
  /**
   * Checks the change against the row and the rest of the database (invalid input, a name taken)
   * and returns what to write; a refusal writes nothing. Runs only when the row is at the form's version.
   */
  prepare?(tx: Tx, before: Row): Promise<AdminResult<Prepared>>;
  /** The write (updateMany, deleteMany) where the row is still at the form's version: `where` holds both. */
  write(tx: Tx, where: { id: string; version: number }, prepared: Prepared): Promise<{ count: number }>;
  /** After the write: the audit row (and what else belongs with it); returns the mutation's value. */
  afterWrite(tx: Tx, before: Row, prepared: Prepared): Promise<T>;
}

/**
 * The optimistic-concurrency write of every admin mutation that edits or deletes a stored row: a
 * second admin who opened the same form gets a conflict, never a silent overwrite. In one
 * transaction: read the row (gone: not found), compare its version with the form's (another: a
 * conflict, before the input is checked against a state the admin never saw), prepare, write
 * where the version is still the form's (0 rows: someone wrote in between, a conflict), then the
 * audit row. The version in the WHERE makes the check and the write one step, even between replicas.
 */
export function writeAtVersion<Row extends { version: number }, Prepared = undefined, T = null>(
  db: Db,
  target: { thing: VersionedThing; id: string; expectedVersion: number; write: "update" | "delete" },
  steps: VersionedWrite<Row, Prepared, T>,
): Promise<AdminResult<T>> {
  const conflict = { ok: false, kind: "conflict", message: conflictMessage(target.thing, target.write) } as const;
  return db.$transaction(async (tx): Promise<AdminResult<T>> => {
    const before = await steps.read(tx);
    if (!before) return { ok: false, kind: "not_found", message: notFoundMessage(target.thing) };
    if (before.version !== target.expectedVersion) return conflict;
    // Without a prepare step there is nothing to pass on: Prepared is then its default, undefined.
    const prepared = steps.prepare
      ? await steps.prepare(tx, before)
      : { ok: true as const, value: undefined as Prepared };
    if (!prepared.ok) return prepared;
    const { count } = await steps.write(tx, { id: target.id, version: target.expectedVersion }, prepared.value);
    if (count === 0) return conflict;
    return { ok: true, value: await steps.afterWrite(tx, before, prepared.value) };
  });
}
