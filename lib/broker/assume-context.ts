import type { Env } from "@/lib/env";
import type { AssumeContext } from "./assume-granted-role";

/** What /go and the CLI's credentials endpoint pass to assumeGrantedRole, from the environment. */
export function assumeContextFromEnv(env: Env): AssumeContext {
  return {
    baseUrl: env.JETWAY_BASE_URL,
    secret: env.JETWAY_SECRET,
    awsKeyFiles: env.awsKeyFiles,
    stsEndpoint: env.JETWAY_STS_ENDPOINT,
    signinEndpoint: env.JETWAY_SIGNIN_ENDPOINT,
    failover: {
      timeoutMs: env.JETWAY_STS_TIMEOUT_MS,
      breaker: {
        failureThreshold: env.JETWAY_STS_BREAKER_FAILURES,
        cooldownMs: env.JETWAY_STS_BREAKER_COOLDOWN_SECONDS * 1000,
      },
    },
  };
}
