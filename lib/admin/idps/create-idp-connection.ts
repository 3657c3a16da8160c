import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { idpConnectionFields } from "@/lib/config/apply-config";
import { identityProviderConfigSchema } from "@/lib/config/config-schema";
import { fetchMetadata } from "@/lib/config/load-config";
import { isUniqueViolation, type Db } from "@/lib/db";
import type { IdpConnection } from "@/lib/db/generated/sqlite/client";
import { IdpMetadataError, parseIdpMetadata } from "@/lib/saml/idp-metadata";
import { invalid, type AdminResult, type FieldErrors } from "../action-state";
import { auditActorFields, type AdminActor } from "../admin-actor";
import { idpSnapshot } from "./idp-audit";

/** Largest pasted or uploaded metadata document (the URL fetch has the same cap). */
export const MAX_METADATA_BYTES = 2 * 1024 * 1024;

export const newIdpFormSchema = z.object({
  id: z.string().trim().max(200).default(""),
  name: z.string().trim().max(500).default(""),
  source: z.enum(["xml", "url"]).default("xml"),
  metadataXml: z.string().max(MAX_METADATA_BYTES, "The metadata is larger than 2 MB.").default(""),
  metadataUrl: z.string().trim().max(2048).default(""),
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
    ...(form.source === "url" ? { metadataUrl: form.metadataUrl || undefined } : { metadataXml: form.metadataXml || undefined }),
  });
  if (!base.success) {
    for (const issue of base.error.issues) {
      const field = String(issue.path[0] ?? (form.source === "url" ? "metadataUrl" : "metadataXml"));
      const message =
        field === "id" ? "Lower-case letters, digits and dashes (it appears in /login?idp=…)." :
        field === "name" ? "Enter a name people will recognise on the sign-in page." :
        field === "metadataUrl" ? (form.metadataUrl ? issue.message : "Enter the https:// URL of the IdP's SAML metadata.") :
        field === "metadataXml" ? "Paste the IdP's SAML metadata XML, or choose its file." : issue.message;
      add(field, message);
    }
  }
  if (Object.keys(errors).length > 0 || !base.success) return invalid(errors);
  const idp = base.data;

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
    return invalid({ [xmlField]: [`This is not usable SAML metadata: ${error instanceof IdpMetadataError ? error.message : String(error)}.`] });
  }

  try {
    return await db.$transaction(async (tx) => {
      if (await tx.idpConnection.findUnique({ where: { id: idp.id } })) return invalid({ id: ["Another identity provider has this id."] });
      const clash = await tx.idpConnection.findUnique({ where: { entityId: md.entityId } });
      if (clash) return invalid({ [xmlField]: [`Identity provider "${clash.id}" already has the entityID ${md.entityId}.`] });
      const created = await tx.idpConnection.create({ data: { id: idp.id, ...idpConnectionFields(idp, md, xml) } });
      for (const cert of md.certificates) await tx.idpCertificate.create({ data: { connectionId: idp.id, ...cert } });
      await recordAuditEvent(tx, {
        type: "idp.create",
        result: "success",
        ...auditActorFields(actor),
        details: { by: actor.displayName, idp: idp.id, before: null, after: { ...idpSnapshot(created), certificates: md.certificates.map((c) => c.fingerprintSha256) } },
      });
      return { ok: true as const, value: created };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return invalid({ id: ["This id or entityID was just taken."] });
    throw error;
  }
}
