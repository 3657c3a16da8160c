import { z } from "zod";
import { isUniqueViolation, type Db } from "@/lib/db";
import { badRequest } from "./cli-responses";
import { deviceCodeId, formatUserCode, newDeviceCode, newUserCode } from "./device-codes";
import {
  CLI_CLIENT_ID,
  DEVICE_CODE_TTL_SECONDS,
  DEVICE_RETENTION_MS,
  POLL_INTERVAL_SECONDS,
  type CliClientInfo,
} from "./device-flow-constants";

/** Printable text without control characters: it is shown to the approver (escaped) and on the Sessions page. */
const label = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
    z
      .string()
      .max(max)
      .regex(/^[^\u0000-\u001f\u007f]*$/, "no control characters")
      .optional(),
  );

/** The form of POST /api/cli/device/authorize (RFC 8628 §3.1, plus what the CLI says about itself). */
export const deviceAuthorizeFormSchema = z.object({
  client_id: z.literal(CLI_CLIENT_ID),
  hostname: label(253),
  os_user: label(64),
  cli_version: label(32),
});

/** RFC 8628 §3.2's answer. */
export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/**
 * Starts a device sign-in (RFC 8628 §3.1–3.2): a device code for the CLI (stored only as its hash)
 * and a user code for the person, pending for DEVICE_CODE_TTL_SECONDS. Nothing is audited yet:
 * anyone may ask, and only the approval (lib/cli/decide-device-authorization.ts) grants anything.
 */
export async function startDeviceAuthorization(
  db: Db,
  input: { form: Record<string, string>; ip?: string; baseUrl: string; now?: Date },
): Promise<DeviceAuthorizationResponse> {
  const parsed = deviceAuthorizeFormSchema.safeParse(input.form);
  if (!parsed.success) {
    const unknownClient = parsed.error.issues.some((i) => i.path[0] === "client_id");
    throw badRequest(
      `device authorize form refused: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      unknownClient
        ? `Only the Jetway CLI (client_id=${CLI_CLIENT_ID}) can sign in this way.`
        : "The sign-in request from the CLI was not valid: update the Jetway CLI.",
    );
  }
  const now = input.now ?? new Date();
  const client: CliClientInfo = {
    hostname: parsed.data.hostname,
    osUser: parsed.data.os_user,
    version: parsed.data.cli_version,
  };
  await db.deviceAuthorization.deleteMany({
    where: { expiresAt: { lt: new Date(now.getTime() - DEVICE_RETENTION_MS) } },
  });

  const deviceCode = newDeviceCode();
  // ~34 bits: a collision with a code still stored is rare; the unique index catches it and a new one is drawn.
  for (let attempt = 0; ; attempt++) {
    const userCode = newUserCode();
    try {
      await db.deviceAuthorization.create({
        data: {
          id: deviceCodeId(deviceCode),
          userCode,
          client: JSON.stringify(client),
          ip: input.ip ?? null,
          interval: POLL_INTERVAL_SECONDS,
          createdAt: now,
          expiresAt: new Date(now.getTime() + DEVICE_CODE_TTL_SECONDS * 1000),
        },
      });
      const shown = formatUserCode(userCode);
      return {
        device_code: deviceCode,
        user_code: shown,
        verification_uri: `${input.baseUrl}/device`,
        verification_uri_complete: `${input.baseUrl}/device?user_code=${shown}`,
        expires_in: DEVICE_CODE_TTL_SECONDS,
        interval: POLL_INTERVAL_SECONDS,
      };
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 4) throw error;
    }
  }
}
