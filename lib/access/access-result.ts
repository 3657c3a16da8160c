/**
 * What every access operation answers: the value, or a refusal a page can show as it is (`message`
 * is a sentence for people; `fieldErrors` name the form fields at fault). "conflict" is a lost race
 * or a request no longer in the state the caller saw; "forbidden" is who the caller is.
 */
export type AccessResult<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      kind: "invalid" | "conflict" | "not_found" | "forbidden";
      message: string;
      fieldErrors?: Record<string, string[]>;
    };

export type AccessRefusal = Extract<AccessResult<never>, { ok: false }>;

export const accessOk = <T>(value: T): AccessResult<T> => ({ ok: true, value });

export function refuse(
  kind: AccessRefusal["kind"],
  message: string,
  fieldErrors?: Record<string, string[]>,
): AccessRefusal {
  return { ok: false, kind, message, ...(fieldErrors ? { fieldErrors } : {}) };
}
