import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { idpConnectionFields } from "@/lib/config/apply-config";
import { identityProviderConfigSchema } from "@/lib/config/config-schema";
import {
  emailDomainProblem,
  identityRuleProblems,
  normalizeEmailDomain,
  parseStoredEmailDomains,
  storedEmailDomains,
} from "@/lib/config/idp-identity-rules";
import { fetchMetadata } from "@/lib/config/load-config";
import { isUniqueViolation, type Db, type Tx } from "@/lib/db";
import type { IdpConnection } from "@/lib/db/types";
import { IdpMetadataError, parseIdpMetadata } from "@/lib/saml/idp-metadata";
import { invalid, type AdminResult, type FieldErrors } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { idpSnapshot } from "./idp-audit";
import { hasUnscopedRules, listUnscopedRules } from "./list-unscoped-rules";

/** Largest pasted or uploaded metadata document (the URL fetch has the same cap). */
export const MAX_METADATA_BYTES = 2 * 1024 * 1024;

export const newIdpFormSchema = z.object({
  id: z.string().trim().max(200).default(""),
  name: z.string().trim().max(500).default(""),
  source: z.enum(["xml", "url"]).default("xml"),
  metadataXml: z.string().max(MAX_METADATA_BYTES, "The metadata is larger than 2 MB.").default(""),
  metadataUrl: z.string().trim().max(2048).default(""),
  /** Comma- or newline-separated; stored as IdpConnection.emailDomains (a JSON array). */
  emailDomains: z.string().max(4000, "At most 4000 characters.").default(""),
});
export type NewIdpForm = z.output<typeof newIdpFormSchema>;

/**
 * Adds an identity provider from its SAML metadata, pasted/uploaded or fetched from a URL (with
 * the config loader's timeout and size cap). Options start at the config file's defaults.
 * Nothing is written unless the metadata reads and its entityID is new.
 */
export async function createIdpConnection(
  db: Db,
  form: NewIdpForm,
  actor: AdminActor,
  fetcher: (url: string) => Promise<string> = fetchMetadata,
): Promise<AdminResult<IdpConnection>> {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => void (errors[field] ??= []).push(message);
  const base = identityProviderConfigSchema.safeParse({
    id: form.id,
    name: form.name,
    ...(form.source === "url"
      ? { metadataUrl: form.metadataUrl || undefined }
      : { metadataXml: form.metadataXml || undefined }),
  });
  if (!base.success) {
    for (const issue of base.error.issues) {
      const field = String(issue.path[0] ?? (form.source === "url" ? "metadataUrl" : "metadataXml"));
      const message =
        field === "id"
          ? "Lower-case letters, digits and dashes (it appears in /login?idp=…)."
          : field === "name"
            ? "Enter a name people will recognise on the sign-in page."
            : field === "metadataUrl"
              ? form.metadataUrl
                ? issue.message
                : "Enter the https:// URL of the IdP's SAML metadata."
              : field === "metadataXml"
                ? "Paste the IdP's SAML metadata XML, or choose its file."
                : issue.message;
      add(field, message);
    }
  }
  const domains = [
    ...new Set(
      form.emailDomains
        .split(/[\s,;]+/)
        .map(normalizeEmailDomain)
        .filter(Boolean),
    ),
  ];
  for (const domain of domains) {
    const problem = emailDomainProblem(domain);
    if (problem) add("emailDomains", `${problem[0]!.toUpperCase()}${problem.slice(1)}.`);
  }
  if (Object.keys(errors).length > 0 || !base.success) return invalid(errors);
  const idp = base.data;
  const newConnection = {
    id: idp.id,
    name: idp.name,
    emailDomains: domains.length > 0 ? domains : null,
    primary: false,
  };

  // Checked before the metadata is fetched (a refused POST makes no outbound request) and again
  // in the transaction that writes (another admin may have changed the rules meanwhile).
  if (await isBlockedByUnscopedRules(db)) return scopeFirst();

  let xml = form.metadataXml;
  if (form.source === "url") {
    try {
      xml = await fetcher(form.metadataUrl);
    } catch (error) {
      return invalid({ metadataUrl: [`Cannot fetch the metadata: ${(error as Error).message}.`] });
    }
  }
  const xmlField = form.source === "url" ? "metadataUrl" : "metadataXml";
  let md;
  try {
    md = parseIdpMetadata(xml);
  } catch (error) {
    return invalid({
      [xmlField]: [
        `This is not usable SAML metadata: ${error instanceof IdpMetadataError ? error.message : String(error)}.`,
      ],
    });
  }

  try {
    return await db.$transaction(async (tx) => {
      if (await isBlockedByUnscopedRules(tx)) return scopeFirst();
      if (await tx.idpConnection.findUnique({ where: { id: idp.id } }))
        return invalid({ id: ["Another identity provider has this id."] });
      const clash = await tx.idpConnection.findUnique({ where: { entityId: md.entityId } });
      if (clash)
        return invalid({ [xmlField]: [`Identity provider "${clash.id}" already has the entityID ${md.entityId}.`] });
      const identityProblem = await emailDomainsBlock(tx, newConnection);
      if (identityProblem) return identityProblem;
      const created = await tx.idpConnection.create({
        data: { id: idp.id, ...idpConnectionFields(idp, md, xml), emailDomains: storedEmailDomains(domains) },
      });
      for (const cert of md.certificates) await tx.idpCertificate.create({ data: { connectionId: idp.id, ...cert } });
      await recordAuditEvent(tx, {
        type: "idp.create",
        result: "success",
        ...auditActorFields(actor),
        details: {
          by: actor.displayName,
          idp: idp.id,
          before: null,
          after: { ...idpSnapshot(created), certificates: md.certificates.map((c) => c.fingerprintSha256) },
        },
      });
      return { ok: true as const, value: created };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return invalid({ id: ["This id or entityID was just taken."] });
    throw error;
  }
}

export const SCOPE_FIRST_MESSAGE =
  "Scope existing rules first: some mappings or admin groups name no identity provider, so a second one would get them too. Scope them on this page, then add the identity provider.";

const scopeFirst = (): AdminResult<never> => ({
  ok: false,
  kind: "invalid",
  message: SCOPE_FIRST_MESSAGE,
  fieldErrors: {},
});

/**
 * Issue 9, item 3: rules that name no IdP apply to every one, so while any exist a second IdP
 * would get them (a contractor's IdP asserting jetway-admins). The first IdP is never blocked.
 */
async function isBlockedByUnscopedRules(db: Db | Tx): Promise<boolean> {
  return (await db.idpConnection.count()) > 0 && hasUnscopedRules(await listUnscopedRules(db));
}

/**
 * Issue 9, item 4 (lib/config/idp-identity-rules.ts): with two IdPs each lists the email domains
 * it may assert, none twice, so neither can claim the other's people in AWS. Null when fine.
 */
async function emailDomainsBlock(
  tx: Tx,
  added: { id: string; name: string; emailDomains: string[] | null; primary: boolean },
): Promise<AdminResult<never> | null> {
  const existing = await tx.idpConnection.findMany({
    select: { id: true, name: true, emailDomains: true, primary: true },
    orderBy: { createdAt: "asc" },
  });
  const problems = identityRuleProblems([
    ...existing.map((c) => ({ ...c, emailDomains: parseStoredEmailDomains(c.emailDomains) })),
    added,
  ]);
  if (problems.length === 0) return null;
  // Sentences about the new connection go next to its Email domains field; those about the
  // existing ones are fixed on their own pages, so they make the form's message.
  const own = problems.filter((p) => p.includes(`(${added.id})`));
  const others = problems.filter((p) => !own.includes(p));
  return invalid(own.length > 0 ? { emailDomains: own } : {}, others.length > 0 ? others.join(" ") : undefined);
}
