import type { Db } from "@/lib/db";
import { audited } from "@/lib/audit/audited";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { buildConsoleLoginUrl, getSigninTokenInRegions } from "@/lib/aws/federation";
import { signinEndpointsAfter } from "@/lib/aws/regional-endpoints";
import { assumeGrantedRole, type AssumeContext, type GrantedRoleRequest } from "./assume-granted-role";
import { resolveConsoleDestination } from "./console-destination";

export interface ConsoleSignInRequest extends Omit<GrantedRoleRequest, "durationSeconds"> {
  destination?: string;
  ip?: string;
  userAgent?: string;
}

/** The console needs the federation endpoint too (AssumeContext's signinEndpoint). */
export type ConsoleSignInContext = AssumeContext;

export interface ConsoleSignIn {
  /** The federation login URL: a secret for 15 minutes. Redirect to it; never log or store it. */
  loginUrl: string;
  durationSeconds: number;
  note?: string;
}

/**
 * Opens the AWS console as a role the session's groups grant: the credentials come from
 * assumeGrantedRole (entitlement, AWS identity, duration, mint, STS, shared with the CLI), then
 * are exchanged for a sign-in token and a login URL. Every attempt is audited (console.signin);
 * credentials, tokens and the URL are never written anywhere.
 */
export async function openConsole(
  db: Db,
  request: ConsoleSignInRequest,
  ctx: ConsoleSignInContext,
): Promise<ConsoleSignIn> {
  const who = { userId: request.user.id, nameId: request.user.nameId, connectionId: request.connectionId };
  const client = { ip: request.ip, userAgent: request.userAgent };
  return audited(
    db,
    {
      type: "console.signin",
      client,
      scope: who,
      unexpected: {
        code: "console.internal_error",
        context: "console sign-in failed unexpectedly",
        userMessage: "Jetway could not open the AWS console because of an internal error.",
      },
    },
    async (scope) => {
      let destination = "";
      const assumed = await assumeGrantedRole(db, request, ctx, {
        scope,
        // A destination outside the console is refused before any STS call.
        beforeAssume: ({ grant, defaultRegion }) => {
          destination = resolveConsoleDestination(request.destination, grant.partition, defaultRegion);
        },
      });
      // The sign-in service of the region whose STS answered first, then the account's others.
      const signin = await getSigninTokenInRegions({
        credentials: assumed.credentials,
        endpoints: signinEndpointsAfter(assumed.endpoints, assumed.region),
        settings: ctx.failover,
        breakers: ctx.breakers,
      });
      const loginUrl = buildConsoleLoginUrl({
        federationEndpoint: signin.endpoint.federation,
        issuer: ctx.baseUrl,
        destination,
        signinToken: signin.signinToken,
      });
      await recordAuditEvent(db, {
        type: "console.signin",
        result: "success",
        ...who,
        ...client,
        details: {
          ...scope.details,
          destinationHost: new URL(destination).host,
          signinRegion: signin.endpoint.region,
          ...(signin.failover.length > 0 ? { signinFailover: signin.failover } : {}),
          ...(assumed.note ? { note: assumed.note } : {}),
        },
      });
      return { loginUrl, durationSeconds: assumed.durationSeconds, note: assumed.note };
    },
  );
}
