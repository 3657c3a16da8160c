import { z } from "zod";
import { sessionFiltersSchema } from "./session-filters";

/** A session record's id: the SHA-256 (hex) of its cookie token (lib/auth/session-store.ts). */
const sessionId = z.string().regex(/^[0-9a-f]{64}$/, "Not a session id.");
const rowId = z.string().trim().min(1).max(64);

/** What an admin revokes: one session, all of one person's, or all of one IdP connection's. */
export const revokeTargetSchema = z.discriminatedUnion("scope", [
  z.object({ scope: z.literal("session"), sessionId }),
  z.object({ scope: z.literal("user"), userId: rowId }),
  z.object({ scope: z.literal("idp"), connectionId: rowId }),
]);
export type RevokeSessionsTarget = z.output<typeof revokeTargetSchema>;

/** The revoke forms: the target, and the page's filters to come back to. */
export const revokeSessionsFormSchema = z.intersection(revokeTargetSchema, sessionFiltersSchema);
