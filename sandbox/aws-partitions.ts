// Partition-specific names AWS uses for SAML sign-in and the console.

export type Partition = "aws" | "aws-us-gov" | "aws-cn";

export interface ParsedArn {
  partition: Partition;
  service: string;
  accountId: string;
  resourceType: string;
  /** Everything after "<type>/", path included. */
  resource: string;
  /** Last path segment: the friendly name. */
  name: string;
}

const arnRegex = /^arn:(aws|aws-us-gov|aws-cn):([a-z0-9-]+):([a-z0-9-]*):(\d{12}):([A-Za-z-]+)\/(.+)$/;

export function parseArn(arn: string): ParsedArn | null {
  const m = arnRegex.exec(arn);
  if (!m) return null;
  const resource = m[6]!;
  return {
    partition: m[1] as Partition,
    service: m[2]!,
    accountId: m[4]!,
    resourceType: m[5]!,
    resource,
    name: resource.slice(resource.lastIndexOf("/") + 1),
  };
}

const regionLabel = "[a-z]{2}(?:-[a-z]+)+-\\d";

/**
 * SAML endpoints that may appear as Recipient and as the Response Destination
 * (id_roles_providers_create_saml_assertions.md, "Subject and NameID": https://region-code.signin.aws.amazon.com/saml,
 * and "for the AWS value, you can also use https://signin.aws.amazon.com/static/saml"; DESIGN.md lists the
 * GovCloud and China endpoints).
 */
const samlEndpointPatterns: Record<Partition, RegExp[]> = {
  aws: [
    /^https:\/\/signin\.aws\.amazon\.com\/saml$/,
    /^https:\/\/signin\.aws\.amazon\.com\/static\/saml$/,
    new RegExp(`^https://${regionLabel}\\.signin\\.aws\\.amazon\\.com/saml$`),
  ],
  "aws-us-gov": [/^https:\/\/signin\.amazonaws-us-gov\.com\/saml$/],
  "aws-cn": [/^https:\/\/signin\.amazonaws\.cn\/saml$/],
};

export function isSamlEndpoint(partition: Partition, url: string): boolean {
  return samlEndpointPatterns[partition].some((re) => re.test(url));
}

/**
 * The region a regional SAML endpoint names (https://eu-west-1.signin.aws.amazon.com/saml →
 * eu-west-1); undefined for the global ones (https://signin.aws.amazon.com/saml, …/static/saml).
 */
export function samlEndpointRegion(url: string): string | undefined {
  return new RegExp(`^https://(${regionLabel})\\.signin\\.aws\\.amazon\\.com/saml$`).exec(url)?.[1];
}

/**
 * Audience values AWS accepts: the entityIDs of AWS's SAML SP metadata
 * (https://signin.aws.amazon.com/static/saml-metadata.xml uses urn:amazon:webservices) and the
 * sign-in URL; GovCloud urn:amazon:webservices:govcloud (DESIGN.md, "AWS's rules").
 * China is not in our references; urn:amazon:webservices:cn is what AWS China's metadata uses.
 */
const audiences: Record<Partition, string[]> = {
  aws: ["https://signin.aws.amazon.com/saml", "urn:amazon:webservices"],
  "aws-us-gov": ["urn:amazon:webservices:govcloud", "https://signin.amazonaws-us-gov.com/saml"],
  "aws-cn": ["urn:amazon:webservices:cn", "https://signin.amazonaws.cn/saml"],
};

export function acceptedAudiences(partition: Partition): readonly string[] {
  return audiences[partition];
}

/** Console hosts a federation Destination may point to (DESIGN.md, "Federation endpoint"). */
const consoleHostPatterns: Record<Partition, RegExp[]> = {
  aws: [/^console\.aws\.amazon\.com$/, new RegExp(`^${regionLabel}\\.console\\.aws\\.amazon\\.com$`)],
  "aws-us-gov": [/^console\.amazonaws-us-gov\.com$/, new RegExp(`^${regionLabel}\\.console\\.amazonaws-us-gov\\.com$`)],
  "aws-cn": [/^console\.amazonaws\.cn$/, new RegExp(`^${regionLabel}\\.console\\.amazonaws\\.cn$`)],
};

export function isConsoleUrl(partition: Partition, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "https:" || parsed.username || parsed.password || parsed.port) return false;
  return consoleHostPatterns[partition].some((re) => re.test(parsed.hostname));
}

export function consoleHome(partition: Partition): string {
  switch (partition) {
    case "aws":
      return "https://console.aws.amazon.com/";
    case "aws-us-gov":
      return "https://console.amazonaws-us-gov.com/";
    case "aws-cn":
      return "https://console.amazonaws.cn/";
  }
}

export const regionRegex = new RegExp(`^${regionLabel}$`);

/**
 * The partition a region belongs to, from its name: cn-* regions are aws-cn, us-gov-* are
 * aws-us-gov, every other one is aws (the partitions' regionRegex in the SDKs' partitions.json).
 */
export function partitionOfRegion(region: string): Partition {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
