import { AssumeRoleWithSAMLCommand, STSClient } from "@aws-sdk/client-sts";
import { AppError } from "@/lib/errors";
import type { EndpointBreakers } from "./endpoint-breakers";
import type { RegionalEndpoint } from "./regional-endpoints";
import {
  describeSteps,
  regionList,
  withRegionalFailover,
  type FailoverSettings,
  type FailoverStep,
} from "./regional-failover";
import { awsAgents } from "./keep-alive";
import { mapStsError } from "./sts-errors";

export interface AssumeRoleWithSamlInput {
  roleArn: string;
  /** The SAML provider ARN (PrincipalArn). */
  principalArn: string;
  /** Base64 of the whole signed Response (SAMLAssertion), ≤ 100,000 characters. */
  samlAssertionB64: string;
  durationSeconds: number;
  /** STS endpoint, e.g. https://sts.eu-west-1.amazonaws.com (or the sandbox). */
  endpoint: string;
  region: string;
  /** Total attempts including retries of throttling, 5xx and network errors (SDK standard strategy). */
  maxAttempts?: number;
  /** Per-attempt timeouts. */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Ends the call, retries included (the regional failover's per-region budget). */
  abortSignal?: AbortSignal;
  /** Whether the assertion carries session tags / a source identity (better AccessDenied advice). */
  sentTags?: boolean;
  sentSourceIdentity?: boolean;
}

export interface AssumeRoleWithSamlResult {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date };
  /** arn:aws:sts::<account>:assumed-role/<role>/<session name> */
  assumedRoleArn: string;
  sourceIdentity?: string;
  requestId?: string;
}

/**
 * The credentials provider handed to the SDK. AssumeRoleWithSAML is an unsigned call: the
 * SAML assertion is the authentication. In @aws-sdk/client-sts v3 the operation's auth options
 * are `smithy.api#noAuth` first (then SigV4A), so with an explicit endpoint the SDK never asks
 * for credentials. Without a `credentials` option, though, the client would fall back to the
 * Node default chain (environment, ~/.aws, SSO, container and instance metadata) should any
 * code path ever want to sign. This provider closes that door: it is never called, and if it
 * ever were, the call fails loudly instead of signing with whatever the host happens to have.
 */
const neverSign = async (): Promise<never> => {
  throw new Error("AssumeRoleWithSAML must be unsigned: Jetway holds no AWS credentials");
};

const clients = new Map<string, STSClient>();

function clientFor(input: AssumeRoleWithSamlInput): STSClient {
  const maxAttempts = input.maxAttempts ?? 3;
  const connectionTimeout = input.connectionTimeoutMs ?? 3000;
  const requestTimeout = input.requestTimeoutMs ?? 10_000;
  const key = JSON.stringify([input.endpoint, input.region, maxAttempts, connectionTimeout, requestTimeout]);
  let client = clients.get(key);
  if (!client) {
    client = new STSClient({
      endpoint: input.endpoint,
      region: input.region,
      credentials: neverSign,
      // Everything set explicitly, so nothing is read from the environment or ~/.aws files.
      maxAttempts,
      retryMode: "standard", // exponential backoff with jitter; retries throttling, 5xx, timeouts
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
      useGlobalEndpoint: false,
      authSchemePreference: [],
      defaultsMode: "standard",
      userAgentAppId: "jetway",
      // requestTimeout only warns unless throwOnRequestTimeout is set (smithy node-http-handler 4.x).
      requestHandler: {
        connectionTimeout,
        requestTimeout,
        throwOnRequestTimeout: true,
        // Kept alive between console sign-ins (lib/aws/keep-alive.ts).
        httpAgent: awsAgents.http,
        httpsAgent: awsAgents.https,
      },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    clients.set(key, client);
  }
  return client;
}

/** Calls STS AssumeRoleWithSAML. Errors come back as AppError with a person-readable message (mapStsError). */
export async function assumeRoleWithSaml(input: AssumeRoleWithSamlInput): Promise<AssumeRoleWithSamlResult> {
  const ctx = {
    roleArn: input.roleArn,
    principalArn: input.principalArn,
    durationSeconds: input.durationSeconds,
    region: input.region,
    endpoint: input.endpoint,
    sentTags: input.sentTags,
    sentSourceIdentity: input.sentSourceIdentity,
  };
  let output;
  try {
    output = await clientFor(input).send(
      new AssumeRoleWithSAMLCommand({
        RoleArn: input.roleArn,
        PrincipalArn: input.principalArn,
        SAMLAssertion: input.samlAssertionB64,
        DurationSeconds: input.durationSeconds,
      }),
      { abortSignal: input.abortSignal },
    );
  } catch (err) {
    throw mapStsError(err, ctx);
  }
  const c = output.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration || !output.AssumedRoleUser?.Arn) {
    throw new AppError("sts.bad_response", {
      message: `AssumeRoleWithSAML for ${input.roleArn} returned no complete credentials [request ${output.$metadata.requestId ?? "?"}]`,
      userMessage: "AWS STS answered with an incomplete response. Please try again.",
      status: 502,
    });
  }
  return {
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    },
    assumedRoleArn: output.AssumedRoleUser.Arn,
    ...(output.SourceIdentity ? { sourceIdentity: output.SourceIdentity } : {}),
    ...(output.$metadata.requestId ? { requestId: output.$metadata.requestId } : {}),
  };
}

/** STS did not answer (connection error, timeout, 5xx): another region may. Refusals are not outages. */
export function isStsOutage(error: unknown): boolean {
  return error instanceof AppError && (error.code === "sts.unreachable" || error.code === "sts.service_error");
}

export interface AssumeRoleInRegionsInput extends Omit<
  AssumeRoleWithSamlInput,
  "samlAssertionB64" | "endpoint" | "region" | "abortSignal"
> {
  /** The account's endpoints, first choice first (lib/aws/regional-endpoints.ts). */
  endpoints: readonly RegionalEndpoint[];
  /**
   * The assertion for one endpoint (base64), minted afresh for each: its Destination and
   * Recipient must be that region's sign-in endpoint.
   */
  assertionFor: (endpoint: RegionalEndpoint) => string;
  settings?: FailoverSettings;
  breakers?: EndpointBreakers;
}

export interface AssumedInRegion extends AssumeRoleWithSamlResult {
  /** The endpoint whose STS answered. */
  endpoint: RegionalEndpoint;
  /** The regions passed over first (empty when the first answered). */
  failover: FailoverStep[];
}

/**
 * AssumeRoleWithSAML with regional failover (issue 13): each endpoint in turn until one answers,
 * within the per-region timeout, skipping those whose circuit breaker is open
 * (lib/aws/regional-failover.ts). The same for /go and the CLI (lib/broker/assume-granted-role.ts).
 */
export async function assumeRoleWithSamlInRegions(input: AssumeRoleInRegionsInput): Promise<AssumedInRegion> {
  const { endpoints, assertionFor, settings, breakers, ...call } = input;
  const { result, endpoint, steps } = await withRegionalFailover({
    kind: "sts",
    endpoints,
    url: (e) => e.sts,
    isOutage: isStsOutage,
    settings,
    breakers,
    attempt: (e) => {
      const samlAssertionB64 = assertionFor(e);
      return (abortSignal) =>
        assumeRoleWithSaml({ ...call, samlAssertionB64, endpoint: e.sts, region: e.region, abortSignal });
    },
    unavailable: (failed) =>
      new AppError("sts.unavailable", {
        status: 503,
        message: `AssumeRoleWithSAML for ${input.roleArn}: no region answered: ${describeSteps(failed)}`,
        userMessage: `AWS STS is not answering in ${regionList(failed)}, where Jetway signs in to this account. Please try again in a minute; an administrator can see each region's state on the admin overview.`,
      }),
  });
  return { ...result, endpoint, failover: steps };
}
