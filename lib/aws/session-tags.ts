/**
 * Session tags (PrincipalTag SAML attributes) from a person's IdP attributes. AWS's limits
 * (id_session-tags.md, reference_iam-quotas.md, the IAM tag naming rules): at most 50 tags;
 * key 1–128 and value 0–256 characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`; keys may not start with
 * "aws:"; one value per tag (no multi-valued tags); keys are case-insensitive, so two keys
 * that differ only by case clash. A tag that breaks a rule is dropped with a warning rather
 * than failing the sign-in: the trust policy decides whether its absence matters.
 */
export const MAX_SESSION_TAGS = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export interface TagMappingEntry {
  /** The IdP attribute (as named in the session's attributes). */
  attribute: string;
  /** The session tag key to set. */
  tagKey: string;
  /** Mark the tag transitive (kept through role chaining). */
  transitive?: boolean;
}

export interface SessionTag {
  key: string;
  value: string;
}

export interface BuildPrincipalTagsResult {
  tags: SessionTag[];
  /** Keys of `tags` marked transitive (TransitiveTagKeys). */
  transitiveTagKeys: string[];
  /** One sentence per dropped mapping, safe to log (names keys and attributes, never values). */
  warnings: string[];
}

/** The reason a tag key is unusable, or undefined when it is fine. */
export function tagKeyProblem(key: string): string | undefined {
  const length = [...key].length;
  if (length < 1) return "the key is empty";
  if (length > MAX_TAG_KEY_LENGTH) return `the key is longer than ${MAX_TAG_KEY_LENGTH} characters`;
  if (!TAG_CHARS.test(key)) return "the key has characters outside letters, digits, spaces and _ . : / = + - @";
  if (/^aws:/i.test(key)) return 'the key starts with the reserved prefix "aws:"';
  return undefined;
}

/** The reason a tag value is unusable, or undefined when it is fine. */
export function tagValueProblem(value: string): string | undefined {
  if ([...value].length > MAX_TAG_VALUE_LENGTH) return `the value is longer than ${MAX_TAG_VALUE_LENGTH} characters`;
  if (!TAG_CHARS.test(value)) return "the value has characters outside letters, digits, spaces and _ . : / = + - @";
  return undefined;
}

export function buildPrincipalTags(input: {
  attributes: Record<string, string | readonly string[] | undefined>;
  mapping: readonly TagMappingEntry[] | Record<string, string>;
}): BuildPrincipalTagsResult {
  const entries: TagMappingEntry[] = Array.isArray(input.mapping)
    ? [...(input.mapping as readonly TagMappingEntry[])]
    : Object.entries(input.mapping as Record<string, string>).map(([attribute, tagKey]) => ({ attribute, tagKey }));

  const tags: SessionTag[] = [];
  const transitive: string[] = [];
  const warnings: string[] = [];
  const seenKeys = new Set<string>();

  for (const { attribute, tagKey, transitive: isTransitive } of entries) {
    const label = `tag "${tagKey}" (from attribute "${attribute}")`;
    const keyProblem = tagKeyProblem(tagKey);
    if (keyProblem) {
      warnings.push(`Session ${label} dropped: ${keyProblem}.`);
      continue;
    }
    if (seenKeys.has(tagKey.toLowerCase())) {
      warnings.push(`Session ${label} dropped: another mapping already sets this key (tag keys are case-insensitive).`);
      continue;
    }
    const raw = input.attributes[attribute];
    const values = raw === undefined ? [] : typeof raw === "string" ? [raw] : [...raw];
    if (values.length === 0) {
      warnings.push(`Session ${label} not set: the person has no such attribute.`);
      continue;
    }
    if (values.length > 1) {
      warnings.push(`Session ${label} dropped: the attribute has ${values.length} values and session tags take one.`);
      continue;
    }
    const value = values[0] as string;
    const valueProblem = tagValueProblem(value);
    if (valueProblem) {
      warnings.push(`Session ${label} dropped: ${valueProblem}.`);
      continue;
    }
    if (tags.length >= MAX_SESSION_TAGS) {
      warnings.push(`Session ${label} dropped: AWS allows at most ${MAX_SESSION_TAGS} session tags.`);
      continue;
    }
    seenKeys.add(tagKey.toLowerCase());
    tags.push({ key: tagKey, value });
    if (isTransitive) transitive.push(tagKey);
  }
  return { tags, transitiveTagKeys: transitive, warnings };
}

/**
 * The person's session tags plus one the account sets (its environment, when the account opts in
 * with environmentTagKey). The account's tag wins over a person's tag of the same key (keys are
 * case-insensitive), which also leaves TransitiveTagKeys; at AWS's limit of 50 the person's last
 * tag gives way. An unusable key or value adds nothing (the config refuses both already).
 */
export function withAccountTag(
  tags: readonly SessionTag[],
  transitiveTagKeys: readonly string[],
  accountTag: SessionTag | undefined,
): { tags: SessionTag[]; transitiveTagKeys: string[] } {
  if (!accountTag || tagKeyProblem(accountTag.key) || tagValueProblem(accountTag.value)) {
    return { tags: [...tags], transitiveTagKeys: [...transitiveTagKeys] };
  }
  const key = accountTag.key.toLowerCase();
  const kept = tags.filter((t) => t.key.toLowerCase() !== key).slice(0, MAX_SESSION_TAGS - 1);
  const keptKeys = new Set(kept.map((t) => t.key));
  return {
    tags: [...kept, { key: accountTag.key, value: accountTag.value }],
    transitiveTagKeys: transitiveTagKeys.filter((k) => keptKeys.has(k)),
  };
}
