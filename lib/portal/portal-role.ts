import type { Partition } from "@/lib/aws/partitions";
import type { EnvironmentColor } from "./environment";

/** One role on the portal: what its tile, the search and the menus need (no secret, safe to send to the browser). */
export interface PortalRole {
  /** The role's ARN: the key of favourites and recents. */
  roleArn: string;
  accountId: string;
  accountAlias: string;
  partition: Partition;
  /** "AWS", "AWS GovCloud (US)", "AWS China". */
  partitionLabel: string;
  defaultRegion: string | null;
  roleName: string;
  label: string | null;
  /** The longest console session the mapping asks for, in seconds. */
  sessionDuration: number;
  environment: string | null;
  /** The badge colour (set when `environment` is). */
  color: EnvironmentColor | null;
  /** Opening it from search with Enter asks first (production by default). */
  confirmOpen: boolean;
  /** Relative deep link: /go/{alias}/{role}. */
  href: string;
}
