import { z } from "zod";
import { MAX_REASON_LENGTH } from "@/lib/access/access-settings";

/**
 * The admin's revoke and mark-reviewed forms: the request, and an optional comment (kept on the
 * request and in its audit row). A blank comment is no comment.
 */
export const accessDecisionFormSchema = z.object({
  requestId: z.string().trim().min(1, "Which request?").max(64, "Not a request id."),
  comment: z
    .string()
    .trim()
    .max(MAX_REASON_LENGTH, `At most ${MAX_REASON_LENGTH} characters.`)
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type AccessDecisionInput = z.output<typeof accessDecisionFormSchema>;
