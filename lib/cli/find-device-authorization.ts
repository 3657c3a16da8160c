import type { Db } from "@/lib/db";
import { formatUserCode, normalizeUserCode } from "./device-codes";
import { parseCliClient, type CliClientInfo } from "./device-flow-constants";

/** What the /device page shows the person before they approve or deny. */
export interface PendingDeviceAuthorization {
  /** XXXX-XXXX */
  userCode: string;
  client: CliClientInfo;
  /** The address the CLI asked from: a person at home should not approve a code asked from elsewhere (RFC 8628 §5.4). */
  ip: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** The pending, unexpired authorization for a typed user code (any case, with or without the dash), or null. */
export async function findPendingDeviceAuthorization(
  db: Db,
  typed: string | null | undefined,
  now: Date = new Date(),
): Promise<PendingDeviceAuthorization | null> {
  const code = normalizeUserCode(typed);
  if (!code) return null;
  const row = await db.deviceAuthorization.findUnique({ where: { userCode: code } });
  if (!row || row.status !== "pending" || row.expiresAt <= now) return null;
  return {
    userCode: formatUserCode(row.userCode),
    client: parseCliClient(row.client),
    ip: row.ip,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}
