import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

// The sandbox's own configuration: which IAM SAML providers and roles "exist" in the fake
// accounts. It is deliberately separate from Jetway's config (lib/config): the sandbox plays AWS.

const partitionPattern = "(aws|aws-us-gov|aws-cn)";
const providerArnRegex = new RegExp(`^arn:${partitionPattern}:iam::\\d{12}:saml-provider/[\\w.@-]{1,128}$`);
const roleArnRegex = new RegExp(
  `^arn:${partitionPattern}:iam::\\d{12}:role/(?:[\\u0021-\\u007E]+/)?[\\w+=,.@-]{1,64}$`,
);

export const samlProviderConfigSchema = z
  .object({
    arn: z.string().regex(providerArnRegex, "must be arn:<partition>:iam::<12 digits>:saml-provider/<name>"),
    metadataUrl: z.url().optional(),
    metadataFile: z.string().min(1).optional(),
    metadataXml: z.string().min(1).optional(),
  })
  .strict()
  .refine((p) => [p.metadataUrl, p.metadataFile, p.metadataXml].filter((v) => v !== undefined).length === 1, {
    message: "exactly one of metadataUrl, metadataFile, metadataXml is required",
  });

export const roleConfigSchema = z
  .object({
    arn: z.string().regex(roleArnRegex, "must be arn:<partition>:iam::<12 digits>:role/<name>"),
    // IAM role MaxSessionDuration: 1 to 12 hours (reference_iam-quotas.md, "Role session duration").
    maxSessionDuration: z.number().int().min(3600).max(43200).default(3600),
    // Principal {"Federated": [...]} of the trust policy statement allowing sts:AssumeRoleWithSAML.
    trustedProviders: z.array(z.string().regex(providerArnRegex)).min(1),
    // Condition StringEquals SAML:aud; compared with the Recipient (id_roles_providers_create_saml_assertions.md,
    // "Subject and NameID", Important box). Omitted = no such condition in the trust policy.
    samlAud: z.array(z.string().min(1)).min(1).optional(),
    allowSetSourceIdentity: z.boolean().default(false),
    allowTagSession: z.boolean().default(false),
  })
  .strict();

export const sandboxConfigSchema = z
  .object({
    samlProviders: z.array(samlProviderConfigSchema).default([]),
    roles: z.array(roleConfigSchema).default([]),
    regions: z
      .object({
        disabled: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/)).default([]),
        // Region assumed when the request does not reveal one (unsigned calls carry no region).
        default: z.string().default("us-east-1"),
      })
      .strict()
      .default({ disabled: [], default: "us-east-1" }),
    // AWS does not document its clock-skew tolerance; a small one, so that assertions that are
    // really expired fail here as they would at AWS.
    clockSkewSeconds: z.number().int().min(0).max(600).default(60),
    // How far a signed call's X-Amz-Date may be from the sandbox's clock. STS allows 15 minutes
    // (its "Signature expired: ... (... - 15 min.)" refusals, see sts/authenticate-request.ts);
    // the IAM User Guide's general rule is five minutes.
    signatureClockSkewSeconds: z.number().int().min(0).max(3600).default(900),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const providerArns = new Set(cfg.samlProviders.map((p) => p.arn));
    cfg.roles.forEach((role, i) => {
      for (const trusted of role.trustedProviders) {
        if (!providerArns.has(trusted)) {
          ctx.addIssue({
            code: "custom",
            path: ["roles", i, "trustedProviders"],
            message: `${trusted} is not among samlProviders`,
          });
        }
      }
    });
  });

export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;
export type SandboxConfigInput = z.input<typeof sandboxConfigSchema>;
export type SamlProviderConfig = z.infer<typeof samlProviderConfigSchema>;
export type RoleConfig = z.infer<typeof roleConfigSchema>;

export class SandboxConfigError extends Error {}

/** Validates a config object; relative metadataFile paths are resolved against baseDir. */
export function parseSandboxConfig(input: unknown, baseDir = process.cwd()): SandboxConfig {
  const result = sandboxConfigSchema.safeParse(input);
  if (!result.success) {
    const details = result.error.issues
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    throw new SandboxConfigError(`invalid sandbox config: ${details}`);
  }
  const cfg = result.data;
  for (const provider of cfg.samlProviders) {
    if (provider.metadataFile !== undefined && !path.isAbsolute(provider.metadataFile)) {
      provider.metadataFile = path.resolve(baseDir, provider.metadataFile);
    }
  }
  return cfg;
}

/** Reads a YAML or JSON config file (YAML is a superset of JSON). */
export function loadSandboxConfigFile(file: string): SandboxConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new SandboxConfigError(`cannot read sandbox config ${file}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new SandboxConfigError(`cannot parse sandbox config ${file}: ${(err as Error).message}`);
  }
  return parseSandboxConfig(raw ?? {}, path.dirname(path.resolve(file)));
}
