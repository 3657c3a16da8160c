import { z } from "zod";
import { isRegionOf } from "@/lib/aws/partitions";
import { isSafeTransportUrl, metadataUrlProblem } from "./metadata-url";
import { emailDomainProblem, normalizeEmailDomain } from "./idp-identity-rules";
import { tagKeyProblem } from "@/lib/aws/session-tags";
import { ENVIRONMENT_COLORS, ENVIRONMENT_PATTERN, ENVIRONMENT_RULE } from "@/lib/portal/environment";
import { ACCESS_EVENT_TYPES, ALL_ACCESS_EVENTS, WEBHOOK_EVENT_NAMES } from "@/lib/notifications/webhook-events";
import { ACCESS_MODES, approverGroupSchema, MAX_GRANT_SECONDS, MIN_GRANT_SECONDS } from "@/lib/access/access-settings";
import { ELIGIBLE_ONLY_KEYS, MAX_APPROVER_GROUPS, ticketPatternProblem } from "./mapping-access";

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
    /** The portal's badge: production, staging, development, sandbox or a label of your own. */
    environment: z.string().trim().regex(ENVIRONMENT_PATTERN, `must be ${ENVIRONMENT_RULE}`).optional(),
    /** The badge's colour; default: red for production, amber staging, blue development, green sandbox, else slate. */
    color: z.enum(ENVIRONMENT_COLORS).optional(),
    /** Ask before opening the console from the portal's search with Enter; default: only for production. */
    confirmOpen: z.boolean().optional(),
    /** Send the environment to AWS as the session tag of this key (roles then need sts:TagSession). */
    environmentTagKey: z
      .string()
      .superRefine((key, ctx) => {
        const problem = tagKeyProblem(key);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
  })
  .superRefine((account, ctx) => {
    if (account.environment === undefined) {
      for (const key of ["color", "environmentTagKey"] as const) {
        if (account[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: "needs an environment" });
      }
    }
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
    /**
     * Just-in-time access (issue 14, lib/access): "standing" (the default) grants the role to the
     * group; "eligible" lets its members request it, granted once approved. The keys after it apply
     * to eligible mappings only; absent, they take their defaults (lib/config/mapping-access.ts).
     */
    access: z.enum(ACCESS_MODES, { error: 'must be "standing" or "eligible"' }).optional(),
    /** Who may approve: a group name (from any IdP) or { group, idp } (from that IdP only), as admins.groups. */
    approvers: z
      .array(z.union([approverGroupSchema.shape.group, approverGroupSchema.extend({ idp: slug })]))
      .max(MAX_APPROVER_GROUPS, `at most ${MAX_APPROVER_GROUPS} approver groups`)
      .optional(),
    /** 1 (default), or 2: two different people must approve. */
    approvalsRequired: z.union([z.literal(1), z.literal(2)], { error: "must be 1 or 2" }).optional(),
    /** The longest grant a request may ask for, in seconds (default 3600). */
    maxDuration: z
      .number()
      .int()
      .min(MIN_GRANT_SECONDS, `at least ${MIN_GRANT_SECONDS} seconds (15 minutes), STS's minimum`)
      .max(MAX_GRANT_SECONDS, `at most ${MAX_GRANT_SECONDS} seconds (12 hours)`)
      .optional(),
    /** A request must give a reason (default true). */
    requireReason: z.boolean().optional(),
    /** A regular expression the request's ticket reference must match, whole (e.g. "OPS-[0-9]+"); absent: no ticket asked. */
    requireTicket: z
      .string()
      .min(1, "leave requireTicket out when no ticket is asked for")
      .superRefine((pattern, ctx) => {
        const problem = ticketPatternProblem(pattern);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
    /** The requester may activate at once with a reason, for at most an hour, reviewed afterwards (default false). */
    breakGlass: z.boolean().optional(),
  })
  .refine((m) => (m.group === undefined) !== (m.groupPattern === undefined), {
    message: "give exactly one of group or groupPattern",
  })
  .superRefine((m, ctx) => {
    if (m.access === "eligible") {
      if (!m.approvers || m.approvers.length === 0)
        ctx.addIssue({
          code: "custom",
          path: ["approvers"],
          message: "an eligible mapping needs at least one approver group",
        });
      return;
    }
    for (const key of ELIGIBLE_ONLY_KEYS) {
      if (m[key] !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `${key} applies to eligible mappings: add access: eligible`,
        });
    }
  });

/** An environment variable's name (the audit sinks' secrets are read from the environment or a file, never inline). */
const envVarName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable's name, e.g. JETWAY_AUDIT_HMAC_SECRET")
  .refine((name) => name !== "JETWAY_SECRET", "must not be JETWAY_SECRET: give the audit stream a secret of its own");

/** Where an audit sink sends: https, or plain http to this machine only (events name people and addresses). */
const sinkUrl = z.string().superRefine((raw, ctx) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    ctx.addIssue({ code: "custom", message: "must be an https:// URL" });
    return;
  }
  if (url.username || url.password) ctx.addIssue({ code: "custom", message: "leave credentials out of the URL" });
  else if (!isSafeTransportUrl(url))
    ctx.addIssue({
      code: "custom",
      message: "must be https:// (plain http:// only to this machine: localhost, 127.0.0.1, [::1])",
    });
});

/** What every sink has: its id (a slug, shown on the admin page) and how it batches and retries. */
const sinkCommon = {
  id: slug,
  /** Events per request (or per write to the file); a sink gets at most one batch per second. */
  batchSize: z.number().int().min(1).max(1000).default(100),
  /** How long a batch is retried (exponential backoff with jitter) before it is marked failed. */
  retryHorizonHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
};

const httpSinkSchema = z
  .strictObject({
    ...sinkCommon,
    type: z.literal("http"),
    url: sinkUrl,
    /** The HMAC-SHA256 key of the X-Jetway-Signature header: an environment variable's name, or a file. */
    secretEnv: envVarName.optional(),
    secretFile: z.string().min(1).optional(),
    timeoutSeconds: z.number().int().min(1).max(120).default(10),
  })
  .refine((s) => (s.secretEnv === undefined) !== (s.secretFile === undefined), {
    message: "give exactly one of secretEnv or secretFile (the key that signs each batch)",
  });

const splunkHecSinkSchema = z
  .strictObject({
    ...sinkCommon,
    type: z.literal("splunk-hec"),
    /** The collector's event endpoint, e.g. https://splunk.example.com:8088/services/collector/event. */
    url: sinkUrl,
    /** The HEC token: an environment variable's name, or a file. */
    tokenEnv: envVarName.optional(),
    tokenFile: z.string().min(1).optional(),
    sourcetype: z.string().min(1).max(256).default("jetway:audit"),
    source: z.string().min(1).max(256).default("jetway"),
    index: z.string().min(1).max(256).optional(),
    timeoutSeconds: z.number().int().min(1).max(120).default(10),
  })
  .refine((s) => (s.tokenEnv === undefined) !== (s.tokenFile === undefined), {
    message: "give exactly one of tokenEnv or tokenFile (the HEC token)",
  });

const fileSinkSchema = z.strictObject({
  ...sinkCommon,
  type: z.literal("file"),
  /** JSON lines appended here (relative paths: to the config file), fsync'd per batch, reopened on SIGHUP. */
  path: z.string().min(1),
});

export const auditSinkConfigSchema = z.discriminatedUnion("type", [
  httpSinkSchema,
  splunkHecSinkSchema,
  fileSinkSchema,
]);

export const auditConfigSchema = z
  .strictObject({
    /** Where the audit stream goes (lib/audit/delivery): each sink gets every event, at least once. */
    sinks: z.array(auditSinkConfigSchema).default([]),
  })
  .default({ sinks: [] });

/**
 * An outbound webhook for access requests (lib/notifications): one signed POST per selected
 * access event, delivered by the audit stream's dispatcher (stored as an AuditSink row of type
 * "webhook", id "webhook:<id>"). At most 55 characters, so that the row's id stays a sink id.
 */
export const webhookConfigSchema = z
  .strictObject({
    id: slug.max(55, "at most 55 characters"),
    /** https, or plain http to this machine only (as a sink's URL). */
    url: sinkUrl,
    /** Which access events it is sent: names from lib/notifications/webhook-events.ts, or "access.*" (all, the default). */
    events: z
      .array(
        z.enum(WEBHOOK_EVENT_NAMES, {
          error: `must be "${ALL_ACCESS_EVENTS}" or one of ${ACCESS_EVENT_TYPES.join(", ")}`,
        }),
      )
      .min(1, `list at least one event, or leave events out for "${ALL_ACCESS_EVENTS}"`)
      .refine((events) => new Set(events).size === events.length, "lists an event twice")
      .default([ALL_ACCESS_EVENTS]),
    /** The HMAC-SHA256 key of the X-Jetway-Signature header: an environment variable's name, or a file. */
    secretEnv: envVarName.optional(),
    secretFile: z.string().min(1).optional(),
    timeoutSeconds: z.number().int().min(1).max(120).default(10),
    /** How long a notification is retried (exponential backoff with jitter) before it is marked failed. */
    retryHorizonHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(24),
  })
  .refine((w) => (w.secretEnv === undefined) !== (w.secretFile === undefined), {
    message: "give exactly one of secretEnv or secretFile (the key that signs each notification)",
  });
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

export const notificationsConfigSchema = z
  .strictObject({
    /** Each id once (parseConfigText checks, as for the other lists). */
    webhooks: z.array(webhookConfigSchema).default([]),
  })
  .default({ webhooks: [] });

/** The portal: what people see when they have no role or their search finds none. */
export const portalConfigSchema = z.strictObject({
  /** Whom to ask for access, e.g. "the cloud team (#aws-access on Slack)"; an email or https URL in it becomes a link. */
  adminContact: z.string().trim().min(1).max(200).optional(),
});
export type PortalConfig = z.infer<typeof portalConfigSchema>;

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
  audit: auditConfigSchema,
  /** Outbound webhooks for access requests (lib/notifications). */
  notifications: notificationsConfigSchema,
  portal: portalConfigSchema.default({}),
});

export type JetwayConfig = z.infer<typeof jetwayConfigSchema>;
export type IdentityProviderConfig = z.infer<typeof identityProviderConfigSchema>;
export type AuditSinkConfig = z.infer<typeof auditSinkConfigSchema>;
