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
  /** Relative deep link: /go/{alias}/{role}; for an eligible role, its request form. */
  href: string;
  /** Just-in-time access (issue 14): set for a role the person may request or holds for a while; absent when standing. */
  access?: RoleAccess;
}

/** How a non-standing role reaches the portal. */
export type RoleAccess =
  | {
      /** The person may request it: the tile offers "Request access" (its `href`) instead of "Open console". */
      kind: "eligible";
      mappingId: string;
      /** The longest grant a request may ask for, in seconds. */
      maxDuration: number;
      approvalsRequired: 1 | 2;
      breakGlass: boolean;
      /** The person's own request waiting for approval, if any. */
      pendingRequestId: string | null;
    }
  | {
      /** An approved request (or break-glass): the role opens as usual until `expiresAt`. */
      kind: "grant";
      requestId: string;
      /** ISO time the grant ends. */
      expiresAt: string;
      breakGlass: boolean;
      /** The request form for the same role: offered when the grant ends soon. */
      requestAgainHref: string;
      /** When the server read it (epoch ms): the first render counts down from there. */
      loadedAt: number;
    };
