/**
 * Where AWS lives, per partition. Sources: id_roles_providers_create_saml_assertions.md
 * (Recipient/Destination, Audience), id_roles_providers_enable-console-custom-url.md
 * (federation endpoint), the AWS STS Regions and endpoints table (STS hosts), the SDK's
 * partition data (region name patterns) and DESIGN.md ("Federation endpoint": console hosts).
 */
export const PARTITIONS = ["aws", "aws-us-gov", "aws-cn"] as const;
export type Partition = (typeof PARTITIONS)[number];

interface PartitionInfo {
  /** Human name for messages. */
  label: string;
  /** Host of the sign-in service (SAML endpoint and federation endpoint). */
  signinHost: string;
  /** Whether `<region>.<signinHost>` exists (AWS Sign-In endpoints; GovCloud has one global host). */
  regionalSignin: boolean;
  /** The SAML Audience AWS expects in the assertion. */
  samlAudience: string;
  /** The console host; regional consoles are `<region>.<consoleHost>`. */
  consoleHost: string;
  /** The DNS suffix of regional service endpoints such as STS. */
  dnsSuffix: string;
  /** The STS endpoint used when no region is given. */
  defaultStsEndpoint: string;
  /** Region names that belong to the partition (stricter than the SDK's `\w`: hostnames have no `_`). */
  regionPattern: RegExp;
}

const INFO: Record<Partition, PartitionInfo> = {
  aws: {
    label: "AWS",
    signinHost: "signin.aws.amazon.com",
    regionalSignin: true,
    samlAudience: "https://signin.aws.amazon.com/saml",
    consoleHost: "console.aws.amazon.com",
    dnsSuffix: "amazonaws.com",
    // The legacy global endpoint; AWS recommends regional ones (pass a region where you can).
    defaultStsEndpoint: "https://sts.amazonaws.com",
    regionPattern: /^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/,
  },
  "aws-us-gov": {
    label: "AWS GovCloud (US)",
    signinHost: "signin.amazonaws-us-gov.com",
    regionalSignin: false,
    samlAudience: "urn:amazon:webservices:govcloud",
    consoleHost: "console.amazonaws-us-gov.com",
    dnsSuffix: "amazonaws.com",
    defaultStsEndpoint: "https://sts.us-gov-west-1.amazonaws.com",
    regionPattern: /^us-gov-[a-z]+-\d+$/,
  },
  "aws-cn": {
    label: "AWS China",
    signinHost: "signin.amazonaws.cn",
    // The China IAM guide names https://<region-code>.signin.amazonaws.cn endpoints too.
    regionalSignin: true,
    // AWS China's relying-party metadata and IdP guides use the SAML endpoint as the audience.
    samlAudience: "https://signin.amazonaws.cn/saml",
    consoleHost: "console.amazonaws.cn",
    dnsSuffix: "amazonaws.com.cn",
    defaultStsEndpoint: "https://sts.cn-north-1.amazonaws.com.cn",
    regionPattern: /^cn-[a-z]+-\d+$/,
  },
};

export function isPartition(value: unknown): value is Partition {
  return typeof value === "string" && (PARTITIONS as readonly string[]).includes(value);
}

export function partitionLabel(partition: Partition): string {
  return INFO[partition].label;
}

/** True when `region` is a region name of `partition` (e.g. eu-west-1 for aws). */
export function isRegionOf(region: string, partition: Partition): boolean {
  return INFO[partition].regionPattern.test(region);
}

function checkRegion(region: string | undefined, partition: Partition): string | undefined {
  if (region === undefined || region === "") return undefined;
  if (!isRegionOf(region, partition)) {
    throw new Error(`"${region}" is not a region of the ${INFO[partition].label} partition (${partition})`);
  }
  return region;
}

/**
 * Regions whose AWS Sign-In endpoint is the partition's unprefixed host: the AWS General
 * Reference's "AWS Sign-In endpoints" table lists us-east-1 as signin.aws.amazon.com (every other
 * commercial region as <region>.signin.aws.amazon.com), and AWS's "How to use regional SAML
 * endpoints for failover" says the same of the SAML endpoint.
 */
const UNPREFIXED_SIGNIN_REGION: Partial<Record<Partition, string>> = { aws: "us-east-1" };

function signinOrigin(partition: Partition, region?: string): string {
  const info = INFO[partition];
  const r = checkRegion(region, partition);
  const prefixed = r && info.regionalSignin && r !== UNPREFIXED_SIGNIN_REGION[partition];
  return prefixed ? `https://${r}.${info.signinHost}` : `https://${info.signinHost}`;
}

/**
 * The SAML endpoint: the Response's Destination and the SubjectConfirmationData's Recipient
 * (which IAM exposes as `SAML:aud` in trust policies). Regional when a region is given and
 * the partition has regional sign-in.
 */
export function samlSigninUrl(partition: Partition, region?: string): string {
  return `${signinOrigin(partition, region)}/saml`;
}

/** The Audience AWS requires in the assertion's AudienceRestriction. */
export function samlAudience(partition: Partition): string {
  return INFO[partition].samlAudience;
}

/** The federation endpoint (getSigninToken, login). */
export function federationEndpoint(partition: Partition, region?: string): string {
  return `${signinOrigin(partition, region)}/federation`;
}

/** The STS endpoint: regional `https://sts.<region>.<dnsSuffix>` when a region is given. */
export function stsEndpoint(partition: Partition, region?: string): string {
  const info = INFO[partition];
  const r = checkRegion(region, partition);
  return r ? `https://sts.${r}.${info.dnsSuffix}` : info.defaultStsEndpoint;
}

/** The region STS requests are signed for / routed to when none is given. */
export function defaultStsRegion(partition: Partition): string {
  return partition === "aws" ? "us-east-1" : partition === "aws-us-gov" ? "us-gov-west-1" : "cn-north-1";
}

/** The console host of the partition, optionally regional. */
export function consoleHost(partition: Partition, region?: string): string {
  const info = INFO[partition];
  const r = checkRegion(region, partition);
  return r ? `${r}.${info.consoleHost}` : info.consoleHost;
}

/** The console's home page (where a sign-in lands without a deep link). */
export function consoleHomeUrl(partition: Partition, region?: string): string {
  const r = checkRegion(region, partition);
  const base = `https://${consoleHost(partition, r)}/console/home`;
  return r ? `${base}?region=${r}` : base;
}

/**
 * Whether `url` may be a console sign-in Destination for `partition`: https, default port, no
 * credentials, and a host that is exactly the console host or `<region>.<console host>` for a
 * region of that partition. Anything else (look-alike hosts, other partitions, javascript:,
 * protocol-relative or relative URLs) is refused: deep links must not become open redirects.
 */
export function isConsoleUrl(url: string, partition: Partition): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "https:" || parsed.username || parsed.password || parsed.port) return false;
  // Reject what WHATWG URL parsing would silently repair (backslashes, whitespace, control chars).
  if (!/^https:\/\/[^\s\\]+$/i.test(url)) return false;
  const host = parsed.hostname.toLowerCase();
  const base = INFO[partition].consoleHost;
  if (host === base) return true;
  if (!host.endsWith(`.${base}`)) return false;
  const label = host.slice(0, -(base.length + 1));
  return isRegionOf(label, partition);
}
