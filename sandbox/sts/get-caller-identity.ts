import type { IssuedSession } from "../state";
import { authenticateRequest, type AuthenticationContext, type AuthenticationFacts } from "./authenticate-request";
import type { SignedHttpRequest } from "./sigv4";

// STS GetCallerIdentity (STS API Reference, API_GetCallerIdentity): "Returns details about the IAM
// user or role whose credentials are used to call the operation." No permissions are required
// (id_credentials_temp_request.md, note 4), so a correctly signed call with live credentials always
// succeeds. For credentials of an assumed role the answer is, as in the API reference's example
// "Called by user created with AssumeRole":
//   Arn     arn:<partition>:sts::<account>:assumed-role/<role name>/<role session name>
//   UserId  <role unique id (AROA...)>:<role session name>   (the aws:userid of an assumed role)
//   Account <account>

export interface GetCallerIdentityResult {
  arn: string;
  userId: string;
  account: string;
}

export function getCallerIdentity(
  request: SignedHttpRequest,
  ctx: AuthenticationContext,
  facts: AuthenticationFacts = {},
): { result: GetCallerIdentityResult; session: IssuedSession } {
  const session = authenticateRequest(request, ctx, facts);
  return {
    session,
    result: { arn: session.assumedRoleArn, userId: session.assumedRoleId, account: session.accountId },
  };
}
