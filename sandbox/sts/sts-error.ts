// STS errors as the Query protocol returns them. The wire codes and HTTP statuses are the
// awsQueryError traits of the STS service model (node_modules/@aws-sdk/client-sts/dist-es/schemas/schemas_0.js):
//   ExpiredTokenException 400 (note the suffix: the wire code is not "ExpiredToken"),
//   IDPRejectedClaim 403, InvalidIdentityToken 400, MalformedPolicyDocument 400,
//   PackedPolicyTooLarge 400, RegionDisabledException 403.
// AccessDenied (403) and ValidationError (400) are the common errors every AWS Query API returns
// (troubleshoot_saml.md shows "status code: 403; error code: AccessDenied").
//
// Signed calls (GetCallerIdentity) add the authentication errors of "Common Errors" (STS API
// Reference, and the same list in every AWS API reference): InvalidClientTokenId 403,
// MissingAuthenticationToken 403, IncompleteSignature, ExpiredToken(Exception) 403. Query-protocol
// services answer the short wire codes: IAM answers an expired session token with
// "403 Forbidden ... <Code>ExpiredToken</Code>" (cfn-sphere/cfn-sphere#55) and the CLI prints
// "(ExpiredToken) when calling the GetCallerIdentity operation" (miquella/vaulted#107).
// IncompleteSignature is 400 on the Query protocol (SES: brendanhay/amazonka#316) although the
// JSON-protocol list says 403. SignatureDoesNotMatch is not in the list; STS answers it with 403
// (QT-DevOps/DevOpsIssues#989: "sts:GetCallerIdentity: SignatureDoesNotMatch ... status code: 403").

export type StsErrorCode =
  | "AccessDenied"
  | "ValidationError"
  | "InvalidIdentityToken"
  | "ExpiredTokenException"
  | "IDPRejectedClaim"
  | "MalformedPolicyDocument"
  | "PackedPolicyTooLarge"
  | "RegionDisabledException"
  | "InvalidAction"
  | "MissingAction"
  | "MissingAuthenticationToken"
  | "IncompleteSignature"
  | "InvalidClientTokenId"
  | "SignatureDoesNotMatch"
  | "ExpiredToken"
  // "Common Errors" (every AWS API reference): "The request has failed due to a temporary failure of
  // the server", HTTP 503. Answered only by a region told to fail (sandbox/region-faults.ts).
  | "ServiceUnavailable";

const statusByCode: Record<StsErrorCode, number> = {
  AccessDenied: 403,
  ValidationError: 400,
  InvalidIdentityToken: 400,
  ExpiredTokenException: 400,
  IDPRejectedClaim: 403,
  MalformedPolicyDocument: 400,
  PackedPolicyTooLarge: 400,
  RegionDisabledException: 403,
  InvalidAction: 400,
  MissingAction: 400,
  MissingAuthenticationToken: 403,
  IncompleteSignature: 400,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  ExpiredToken: 403,
  ServiceUnavailable: 503,
};

export class StsError extends Error {
  readonly status: number;
  constructor(
    readonly code: StsErrorCode,
    message: string,
    /** Which sandbox check refused the call (for /_sandbox/calls), e.g. "recipient". */
    readonly check?: string,
  ) {
    super(message);
    this.status = statusByCode[code];
  }
}

export const accessDenied = (check: string) =>
  // troubleshoot_saml.md, "Error: Not authorized to perform sts:AssumeRoleWithSAML (... 403; AccessDenied)".
  new StsError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", check);

export const invalidToken = (message: string, check: string) => new StsError("InvalidIdentityToken", message, check);

export const rejectedClaim = (message: string, check: string) => new StsError("IDPRejectedClaim", message, check);
