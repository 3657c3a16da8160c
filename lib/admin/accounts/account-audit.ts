import { accountRegions } from "@/lib/aws/regional-endpoints";
import type { AwsAccount } from "@/lib/db/types";

/** What the audit log keeps of an account. */
export function accountSnapshot(a: AwsAccount) {
  return {
    id: a.id,
    alias: a.alias,
    partition: a.partition,
    samlProviderArn: a.samlProviderArn,
    defaultRegion: a.defaultRegion,
    regions: accountRegions(a),
    environment: a.environment,
    color: a.color,
    confirmOpen: a.confirmOpen,
    environmentTagKey: a.environmentTagKey,
    version: a.version,
  };
}
