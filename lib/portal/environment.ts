/**
 * Environment badges: what an account's `environment` may say, the colours a badge may take and
 * the defaults. Plain data, shared by the config schema, the admin form and the portal (which
 * maps each colour to classes that keep the badge's text at WCAG AA contrast).
 */
export const KNOWN_ENVIRONMENTS = ["production", "staging", "development", "sandbox"] as const;

export const ENVIRONMENT_COLORS = [
  "red",
  "orange",
  "amber",
  "green",
  "teal",
  "blue",
  "indigo",
  "purple",
  "pink",
  "slate",
] as const;
export type EnvironmentColor = (typeof ENVIRONMENT_COLORS)[number];

const DEFAULT_COLORS: Record<(typeof KNOWN_ENVIRONMENTS)[number], EnvironmentColor> = {
  production: "red",
  staging: "amber",
  development: "blue",
  sandbox: "green",
};

/**
 * A custom label is free text within what an AWS session tag value accepts, so that the
 * environment can always be sent as one (lib/aws/session-tags.ts): letters, digits, spaces and
 * _ . : / = + - @, at most 32 characters, starting with a letter or digit.
 */
export const ENVIRONMENT_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _.:/=+@-]{0,31}$/u;
export const ENVIRONMENT_RULE =
  "production, staging, development, sandbox or a label of your own: letters, digits, spaces and _ . : / = + - @, at most 32 characters";

export function isEnvironmentColor(value: unknown): value is EnvironmentColor {
  return typeof value === "string" && (ENVIRONMENT_COLORS as readonly string[]).includes(value);
}

/** The badge colour: the one chosen, else the environment's default (slate for a custom label). */
export function environmentColor(environment: string, color: string | null | undefined): EnvironmentColor {
  if (isEnvironmentColor(color)) return color;
  return DEFAULT_COLORS[environment.toLowerCase() as keyof typeof DEFAULT_COLORS] ?? "slate";
}

export function isProduction(environment: string | null | undefined): boolean {
  return environment?.toLowerCase() === "production";
}

/** Whether opening the console from search with Enter asks first: the account's choice, else production only. */
export function confirmsOpen(account: { environment: string | null; confirmOpen: boolean | null }): boolean {
  return account.confirmOpen ?? isProduction(account.environment);
}
