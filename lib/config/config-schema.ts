import { z } from "zod";
import { isRegionOf } from "@/lib/aws/partitions";
import { metadataUrlProblem } from "./metadata-url";
import { emailDomainProblem, normalizeEmailDomain } from "./idp-identity-rules";

/**
 * The declarative configuration (JETWAY_CONFIG, YAML or JSON): the same shape the admin UI
 * imports and exports. Objects are strict so a misspelt key is an error, not a silent default.
 */
const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a slug: lower-case letters, digits and dashes, at most 63 characters");

export const identityProviderConfigSchema = z
  .strictObject({
    id: slug,
    name: z.string().trim().min(1).max(120),
    metadataFile: z.string().min(1).optional(),
    metadataUrl: z
      .string()
      .superRefine((url, ctx) => {
        const problem = metadataUrlProblem(url);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
    metadataXml: z.string().min(1).optional(),
    groupsAttribute: z.string().min(1).optional(),
    emailAttribute: z.string().min(1).optional(),
    displayNameAttribute: z.string().min(1).optional(),
    allowIdpInitiated: z.boolean().default(true),
    /** Which element must be signed: the Assertion (default), the Response, either, or both. */
    signaturePolicy: z.enum(["assertion", "response", "either", "both"]).default("assertion"),
    allowSha1: z.boolean().default(false),
    /** Defaults to the IdP metadata's WantAuthnRequestsSigned. */
    signAuthnRequests: z.boolean().optional(),
    nameIdFormat: z.string().min(1).optional(),
    /** IdP attributes passed to AWS as session tags (PrincipalTag); roles then need sts:TagSession. */
    sessionTags: z
      .array(
        z.strictObject({
          attribute: z.string().min(1),
          tagKey: z
            .string()
            .min(1)
            .max(128)
            .refine((k) => !/^aws:/i.test(k), 'must not start with "aws:"'),
          transitive: z.boolean().default(false),
        }),
      )
      .max(50, "AWS accepts at most 50 session tags")
      .optional(),
    clockSkewSeconds: z.number().int().min(0).max(900).default(180),
    maxAssertionAgeSeconds: z.number().int().min(30).max(3600).default(300),
    enabled: z.boolean().default(true),
    /** Offered on /login (default). false: reachable only from the IdP's tile or /login?idp=<id>. */
    listed: z.boolean().default(true),
    /**
     * The email domains this IdP may assert (corp.com): an address outside them is not used for
     * the AWS identity. Required once there are two or more IdPs (lib/config/idp-identity-rules.ts).
     * Stored lower-case, sorted and de-duplicated, so an export compares equal to its source.
     */
    emailDomains: z
      .array(
        z
          .string()
          .transform(normalizeEmailDomain)
          .superRefine((domain, ctx) => {
            const problem = emailDomainProblem(domain);
            if (problem) ctx.addIssue({ code: "custom", message: problem });
          }),
      )
      .min(1, "list at least one domain, or leave emailDomains out")
      .transform((domains) => [...new Set(domains)].sort())
      .optional(),
    /** Its people keep their bare email as AWS identity; the other IdPs' carry "{id}+". At most one. */
    primary: z.boolean().default(false),
    /** Accept AES-CBC encrypted assertions (padding-oracle prone); AES-GCM only otherwise. */
    allowCbcEncryption: z.boolean().default(false),
  })
  .refine((idp) => [idp.metadataFile, idp.metadataUrl, idp.metadataXml].filter((v) => v !== undefined).length === 1, {
    message: "give exactly one of metadataFile, metadataUrl or metadataXml",
  });

/** At most this many regions per account: each one a dead region may cost is a timeout. */
export const MAX_ACCOUNT_REGIONS = 5;

export const accountConfigSchema = z
  .strictObject({
    id: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id (quote it in YAML)"),
    alias: z
      .string()
      .regex(
        /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
        "must be lower-case letters, digits and dashes, at most 63 characters",
      ),
    partition: z.enum(["aws", "aws-us-gov", "aws-cn"]).default("aws"),
    samlProviderArn: z.string().min(20).max(2048),
    defaultRegion: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region such as eu-west-1")
      .optional(),
    /**
     * Regions whose STS and sign-in endpoints Jetway uses for this account, in order: the next one
     * when a region does not answer (lib/aws/regional-endpoints.ts). Absent: the single default endpoint.
     */
    regions: z
      .array(z.string())
      .min(1, "list at least one region, or leave regions out")
      .max(MAX_ACCOUNT_REGIONS, `at most ${MAX_ACCOUNT_REGIONS} regions`)
      .optional(),
  })
  .superRefine((account, ctx) => {
    const seen = new Set<string>();
    (account.regions ?? []).forEach((region, i) => {
      if (!isRegionOf(region, account.partition)) {
        ctx.addIssue({
          code: "custom",
          path: ["regions", i],
          message: `"${region}" is not a region of the ${account.partition} partition`,
        });
      } else if (seen.has(region)) {
        ctx.addIssue({ code: "custom", path: ["regions", i], message: `"${region}" is listed twice` });
      }
      seen.add(region);
    });
  });

export const mappingConfigSchema = z
  .strictObject({
    idp: slug.optional(),
    group: z.string().min(1).max(1024).optional(),
    groupPattern: z.string().min(1).max(1024).optional(),
    roleArn: z.string().min(20).max(2048),
    label: z.string().max(120).optional(),
    sessionDuration: z.number().int().min(900).max(43200).default(3600),
  })
  .refine((m) => (m.group === undefined) !== (m.groupPattern === undefined), {
    message: "give exactly one of group or groupPattern",
  });

export const jetwayConfigSchema = z.strictObject({
  identityProviders: z.array(identityProviderConfigSchema).default([]),
  accounts: z.array(accountConfigSchema).default([]),
  mappings: z.array(mappingConfigSchema).default([]),
  /** Members of these groups may use the admin console: a name (from any IdP) or { group, idp } (from that IdP only). */
  admins: z
    .strictObject({
      groups: z
        .array(z.union([z.string().min(1), z.strictObject({ group: z.string().min(1), idp: slug })]))
        .default([]),
    })
    .default({ groups: [] }),
});

export type JetwayConfig = z.infer<typeof jetwayConfigSchema>;
export type IdentityProviderConfig = z.infer<typeof identityProviderConfigSchema>;
