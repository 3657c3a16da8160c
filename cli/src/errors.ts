/**
 * Exit codes of `jetway` (documented in `jetway --help` and the README). Scripts and the AWS CLI's
 * credential_process rely on them: keep the numbers stable.
 */
export const EXIT = {
  ok: 0,
  /** The command line is wrong (unknown option, missing value, bad duration or URL). */
  usage: 1,
  /** No sign-in for this Jetway, or it expired or was revoked: `jetway login` fixes it. */
  signIn: 2,
  /** Jetway understood and said no (not entitled, denied in the browser, rate-limited). */
  refused: 3,
  /** Jetway could not be reached, failed, or answered something this jetway does not understand. */
  network: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An expected failure: `message` is the one sentence printed to stderr (never a stack trace), and
 * `exitCode` says which kind it is. Messages never carry a token or credentials.
 */
export class CliError extends Error {
  constructor(
    readonly exitCode: Exclude<ExitCode, 0>,
    message: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export const usageError = (message: string) => new CliError(EXIT.usage, message);

/** The sentence for a token that expired, was revoked, or is missing (the server sends the same one). */
export const SIGN_IN_AGAIN = "Your Jetway sign-in has expired or was revoked: run `jetway login`.";

/** `jetway login` for this URL, as the user would type it (the default URL needs no --url). */
export function loginCommandFor(url: string, isDefault: boolean): string {
  return isDefault ? "jetway login" : `jetway login --url ${url}`;
}
