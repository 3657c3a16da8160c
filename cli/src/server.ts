import type { CliContext } from "./context";
import { CliError, EXIT, loginCommandFor } from "./errors";
import { resolveServerUrl } from "./token-store";

export interface Server {
  url: string;
  /** `jetway login` as the user should type it for this deployment. */
  loginHint: string;
}

/** The Jetway a command talks to (see resolveServerUrl); none known at all is a sign-in to do first. */
export async function requireServer(ctx: CliContext, flagUrl: string | undefined): Promise<Server> {
  const resolved = await resolveServerUrl(ctx, flagUrl);
  if (!resolved) {
    throw new CliError(
      EXIT.signIn,
      "You are not signed in to any Jetway: run `jetway login --url https://jetway.example.com` (your Jetway's address).",
    );
  }
  return { url: resolved.url, loginHint: loginCommandFor(resolved.url, resolved.isDefault) };
}
