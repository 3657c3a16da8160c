import { type z } from "zod";

/** Field name → messages shown next to that field. */
export type FieldErrors = Record<string, string[]>;

/**
 * What a form's server action returns to useActionState: nothing yet, done, or refused with a
 * message and per-field errors (the submitted values come back so the form keeps them).
 */
export type ActionState =
  | { status: "idle" }
  | { status: "success"; message: string }
  | {
      status: "error";
      message: string;
      fieldErrors: FieldErrors;
      values: Record<string, string>;
      /** Optimistic-concurrency refusal: `current` is what is stored now, to compare with. */
      conflict?: boolean;
      current?: Record<string, string>;
    };

/** The outcome of an admin mutation in lib/: done, or refused in a way the form can show. */
export type AdminResult<T> =
  | { ok: true; value: T }
  | { ok: false; kind: "invalid" | "conflict" | "not_found"; message: string; fieldErrors?: FieldErrors };

export const invalid = (fieldErrors: FieldErrors, message = "Fix the highlighted fields."): AdminResult<never> => ({
  ok: false,
  kind: "invalid",
  message,
  fieldErrors,
});

/** zod issues → messages per top-level field ("" for the form as a whole). */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** A form's fields as a plain object; Next's own $ACTION_* fields and file inputs are left out. */
export function formDataToObject(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION") || typeof value !== "string") continue;
    out[key] = value;
  }
  return out;
}

/** A refused AdminResult as the form's state. */
export function resultToState(
  result: Extract<AdminResult<unknown>, { ok: false }>,
  values: Record<string, string>,
  current?: Record<string, string>,
): ActionState {
  return {
    status: "error",
    message: result.message,
    fieldErrors: result.fieldErrors ?? {},
    values,
    ...(result.kind === "conflict" ? { conflict: true, current } : {}),
  };
}
