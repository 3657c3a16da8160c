/**
 * A separate Jetway "process" for multi-process tests: reads {databaseUrl, samlResponse, ctx}
 * as JSON on stdin, runs the ACS logic against its own database client, prints the outcome.
 */
import { createDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { consumeSamlResponse, type ConsumeContext } from "@/lib/saml/consume-response";

async function main(): Promise<void> {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const { databaseUrl, samlResponse, ctx } = JSON.parse(input) as {
    databaseUrl: string;
    samlResponse: string;
    ctx: Omit<ConsumeContext, "now">;
  };
  const db = createDb(databaseUrl);
  try {
    const user = await consumeSamlResponse(db, { samlResponse }, ctx);
    process.stdout.write(JSON.stringify({ ok: true, userId: user.userId }));
  } catch (error) {
    process.stdout.write(JSON.stringify({ ok: false, code: error instanceof AppError ? error.code : String(error) }));
  } finally {
    await db.$disconnect();
  }
}

void main();
