/**
 * Rolls Jetway's own keys over without locking anyone out (see lib/keys/rotate-signing-key.ts).
 *
 *   npm run keys:rotate -- aws status     which keys exist and which are published
 *   npm run keys:rotate -- aws stage      create the next key; re-upload /api/saml/aws/metadata to IAM
 *   npm run keys:rotate -- aws promote    sign with the next key; retire the old one
 *
 * Uses the same environment as Jetway (DATABASE_URL, JETWAY_SECRET, JETWAY_BASE_URL).
 */
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { promoteNextSigningKey, stageNextSigningKey } from "@/lib/keys/rotate-signing-key";

async function main(): Promise<void> {
  const [purpose, action] = process.argv.slice(2);
  if ((purpose !== "aws" && purpose !== "sp") || !["status", "stage", "promote"].includes(action ?? "")) {
    process.stderr.write("usage: npm run keys:rotate -- <aws|sp> <status|stage|promote>\n");
    process.exit(2);
  }
  const env = getEnv();
  const db = getDb();
  if (action === "stage") {
    const { id } = await stageNextSigningKey(db, purpose, env.JETWAY_SECRET);
    process.stdout.write(`Staged key ${id}. It is now published beside the active one.\n`);
    if (purpose === "aws") {
      process.stdout.write(
        `Upload ${env.JETWAY_BASE_URL}/api/saml/aws/metadata to the IAM SAML provider in every account, then run "promote".\n`,
      );
    }
  } else if (action === "promote") {
    const { activeId, retired } = await promoteNextSigningKey(db, purpose);
    process.stdout.write(`Key ${activeId} is now active; retired: ${retired.join(", ") || "none"}.\n`);
  }
  const keys = await db.signingKey.findMany({ where: { purpose }, orderBy: { createdAt: "asc" } });
  for (const k of keys) process.stdout.write(`${k.status.padEnd(8)} ${k.id}  created ${k.createdAt.toISOString()}\n`);
  await db.$disconnect();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
