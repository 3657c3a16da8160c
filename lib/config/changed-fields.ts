/**
 * Which fields differ between `before` and `after`: by default the fields `after` names (a stored
 * row against the values about to be written to it), or the `fields` given (two configurations,
 * where either side may lack a field). Values compare as JSON, so equal arrays, objects or dates
 * are equal and a missing value equals null.
 */
export function changedFields<K extends string>(
  before: Record<NoInfer<K>, unknown>,
  after: Record<K, unknown>,
  fields: readonly K[] = Object.keys(after) as K[],
): K[] {
  return fields.filter((field) => asJson(before[field]) !== asJson(after[field]));
}

const asJson = (value: unknown): string => JSON.stringify(value ?? null);
