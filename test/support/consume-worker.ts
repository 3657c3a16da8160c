/**
 * A separate Jetway "process" for multi-process tests: reads {databaseUrl, samlResponse, ctx} (and
 * optionally the browser's bindingCookie and sessionToken) as JSON on stdin, runs the ACS
 * (signInAtAcs) against its own database client, prints the outcome.
 */
import { createDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { signInAtAcs, type AcsContext } from "@/lib/saml/acs/sign-in-at-acs";

async function main(): Promise<void> {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const { databaseUrl, samlResponse, ctx, bindingCookie, sessionToken } = JSON.parse(input) as {
    databaseUrl: string;
    samlResponse: string;
    ctx: Omit<AcsContext, "now">;
    bindingCookie?: string;
    sessionToken?: string;
  };
  const db = createDb(databaseUrl);
  try {
    const outcome = await signInAtAcs(
      db,
      { readForm: async () => new URLSearchParams({ SAMLResponse: samlResponse }), bindingCookie, sessionToken },
      ctx,
    );
    process.stdout.write(JSON.stringify({ ok: true, kind: outcome.kind, target: outcome.target }));
  } catch (error) {
    process.stdout.write(JSON.stringify({ ok: false, code: error instanceof AppError ? error.code : String(error) }));
  } finally {
    await db.$disconnect();
  }
}

void main();
