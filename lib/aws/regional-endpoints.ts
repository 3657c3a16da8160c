import { z } from "zod";
import {
  defaultStsRegion,
  federationEndpoint,
  isPartition,
  isRegionOf,
  samlSigninUrl,
  stsEndpoint,
  type Partition,
} from "./partitions";

/**
 * Where Jetway signs a person in to AWS, region by region, in the order it tries them.
 *
 * An account that lists `regions` is signed in through each region's own endpoints, as AWS's
 * "How to use regional SAML endpoints for failover" (AWS Security Blog) describes: STS
 * `https://sts.<region>.amazonaws.com`, and the assertion addressed to that region's sign-in
 * endpoint `https://<region>.signin.aws.amazon.com/saml` (Response Destination and
 * SubjectConfirmationData Recipient, id_roles_providers_create_saml_assertions.md), which is what
 * the role's trust policy compares with `SAML:aud`; the console session is then opened through the
 * same region's federation endpoint. An account without `regions` keeps the single endpoint it
 * always had: STS of its `defaultRegion` (or the partition's), the global SAML endpoint and the
 * global federation endpoint.
 */
export interface RegionalEndpoint {
  region: string;
  /** AssumeRoleWithSAML endpoint. */
  sts: string;
  /** The assertion's Destination and Recipient (and so `SAML:aud`). */
  samlDestination: string;
  /** getSigninToken and the console login URL. */
  federation: string;
}

export interface AccountRegions {
  partition: Partition;
  /** Ordered; empty for an account that lists none. */
  regions: readonly string[];
  defaultRegion: string | null;
}

/**
 * JETWAY_STS_ENDPOINT and JETWAY_SIGNIN_ENDPOINT (the sandbox in tests and the demo). `{region}`
 * in them is replaced by each region's name, so one sandbox can stand for several regions
 * (`http://127.0.0.1:4566/{region}`); without it every region is sent to the one endpoint.
 */
export interface EndpointOverrides {
  sts?: string;
  signin?: string;
}

export const REGION_PLACEHOLDER = "{region}";

function fill(template: string, region: string): string {
  return template.replaceAll(REGION_PLACEHOLDER, region);
}

/** The endpoints to try, first choice first. */
export function regionalEndpoints(account: AccountRegions, overrides: EndpointOverrides = {}): RegionalEndpoint[] {
  const { partition } = account;
  if (account.regions.length === 0) {
    const region = account.defaultRegion ?? defaultStsRegion(partition);
    return [
      {
        region,
        sts: overrides.sts ? fill(overrides.sts, region) : stsEndpoint(partition, account.defaultRegion ?? undefined),
        samlDestination: samlSigninUrl(partition),
        federation: overrides.signin ? fill(overrides.signin, region) : federationEndpoint(partition),
      },
    ];
  }
  return account.regions.map((region) => ({
    region,
    sts: overrides.sts ? fill(overrides.sts, region) : stsEndpoint(partition, region),
    samlDestination: samlSigninUrl(partition, region),
    federation: overrides.signin ? fill(overrides.signin, region) : federationEndpoint(partition, region),
  }));
}

/**
 * The sign-in (federation) endpoints to try once STS has answered in `stsRegion`: that region's
 * first (the session was issued there), then the others in the account's order.
 */
export function signinEndpointsAfter(endpoints: readonly RegionalEndpoint[], stsRegion: string): RegionalEndpoint[] {
  const first = endpoints.find((e) => e.region === stsRegion);
  return first ? [first, ...endpoints.filter((e) => e !== first)] : [...endpoints];
}

const storedRegionsSchema = z.array(z.string());

/** An account row's `regions` column (a JSON array), keeping only names of the account's partition. */
export function storedRegions(json: string | null | undefined, partition: Partition): string[] {
  if (!json) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  const list = storedRegionsSchema.safeParse(parsed);
  return list.success ? [...new Set(list.data.filter((r) => isRegionOf(r, partition)))] : [];
}

/** An account row's failover regions ([] when its partition is unknown or it lists none). */
export function accountRegions(account: { partition: string; regions: string }): string[] {
  return isPartition(account.partition) ? storedRegions(account.regions, account.partition) : [];
}
