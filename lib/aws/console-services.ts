import type { Partition } from "./partitions";

/**
 * Where the portal's tile menu can send a console session: a few services people open most, as
 * console paths (partition-neutral: /go turns a path into a URL on the account's own console
 * host, lib/broker/console-destination.ts), and the regions to open them in. Each entry becomes a
 * /go deep link with `destination`, so it can be bookmarked and shared like the tile itself.
 */
export interface ConsoleService {
  id: string;
  name: string;
  /** Console path; `?region=` is added for regional services. */
  path: string;
  /** Global services (IAM) ignore the region. */
  global?: boolean;
}

export const CONSOLE_SERVICES: readonly ConsoleService[] = [
  { id: "home", name: "Console home", path: "/console/home" },
  { id: "s3", name: "S3", path: "/s3/buckets" },
  { id: "ec2", name: "EC2", path: "/ec2/home" },
  { id: "cloudwatch", name: "CloudWatch", path: "/cloudwatch/home" },
  { id: "iam", name: "IAM", path: "/iam/home", global: true },
  { id: "lambda", name: "Lambda", path: "/lambda/home" },
  { id: "cloudformation", name: "CloudFormation", path: "/cloudformation/home" },
  { id: "rds", name: "RDS", path: "/rds/home" },
  { id: "dynamodb", name: "DynamoDB", path: "/dynamodbv2/home" },
  { id: "vpc", name: "VPC", path: "/vpcconsole/home" },
  { id: "cloudtrail", name: "CloudTrail", path: "/cloudtrail/home" },
  { id: "ecs", name: "ECS", path: "/ecs/v2/home" },
];

/** Regions offered per partition (the commercial regions most used first, then the rest alphabetically). */
export const CONSOLE_REGIONS: Record<Partition, readonly string[]> = {
  aws: [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "af-south-1",
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ca-central-1",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
  ],
  "aws-us-gov": ["us-gov-west-1", "us-gov-east-1"],
  "aws-cn": ["cn-north-1", "cn-northwest-1"],
};

/** The console path for `service` in `region` (none: the console's own choice, or the account's default region). */
export function consoleServicePath(service: ConsoleService, region?: string | null): string {
  if (!region || service.global) return service.path;
  return `${service.path}?${new URLSearchParams({ region })}`;
}

/** A /go deep link: `/go/{alias}/{role}`, with `?destination=` when a destination is given. */
export function goLink(accountAlias: string, roleName: string, destination?: string): string {
  const base = `/go/${encodeURIComponent(accountAlias)}/${encodeURIComponent(roleName)}`;
  return destination ? `${base}?${new URLSearchParams({ destination })}` : base;
}
