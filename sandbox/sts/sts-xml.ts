import type { GetCallerIdentityResult } from "./get-caller-identity";
import type { StsError } from "./sts-error";

const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Query-protocol error body (reference/sts-assumerolewithsaml-sample.xml, trailing comment). */
export function renderStsError(err: StsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${STS_NS}">\n` +
    `  <Error>\n` +
    // The Query protocol's fault type: Receiver for the service's own failures (5xx), else Sender.
    `    <Type>${err.status >= 500 ? "Receiver" : "Sender"}</Type>\n` +
    `    <Code>${escapeXml(err.code)}</Code>\n` +
    `    <Message>${escapeXml(err.message)}</Message>\n` +
    `  </Error>\n` +
    `  <RequestId>${escapeXml(requestId)}</RequestId>\n` +
    `</ErrorResponse>\n`
  );
}

export interface AssumeRoleWithSamlResult {
  issuer: string;
  assumedRoleArn: string;
  assumedRoleId: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  audience: string;
  subject: string;
  subjectType: string;
  nameQualifier: string;
  sourceIdentity?: string;
  packedPolicySize: number;
}

/** AWS timestamps in STS XML carry whole seconds: 2019-11-01T20:26:47Z. */
export function awsTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Same element order as AWS's sample response (reference/sts-assumerolewithsaml-sample.xml). */
export function renderAssumeRoleWithSamlResponse(r: AssumeRoleWithSamlResult, requestId: string): string {
  const el = (name: string, value: string) => `<${name}>${escapeXml(value)}</${name}>`;
  return (
    `<AssumeRoleWithSAMLResponse xmlns="${STS_NS}">\n` +
    `  <AssumeRoleWithSAMLResult>\n` +
    `    ${el("Issuer", r.issuer)}\n` +
    `    <AssumedRoleUser>\n` +
    `      ${el("Arn", r.assumedRoleArn)}\n` +
    `      ${el("AssumedRoleId", r.assumedRoleId)}\n` +
    `    </AssumedRoleUser>\n` +
    `    <Credentials>\n` +
    `      ${el("AccessKeyId", r.accessKeyId)}\n` +
    `      ${el("SecretAccessKey", r.secretAccessKey)}\n` +
    `      ${el("SessionToken", r.sessionToken)}\n` +
    `      ${el("Expiration", awsTimestamp(r.expiration))}\n` +
    `    </Credentials>\n` +
    `    ${el("Audience", r.audience)}\n` +
    `    ${el("SubjectType", r.subjectType)}\n` +
    `    ${el("PackedPolicySize", String(r.packedPolicySize))}\n` +
    `    ${el("NameQualifier", r.nameQualifier)}\n` +
    (r.sourceIdentity !== undefined ? `    ${el("SourceIdentity", r.sourceIdentity)}\n` : "") +
    `    ${el("Subject", r.subject)}\n` +
    `  </AssumeRoleWithSAMLResult>\n` +
    `  <ResponseMetadata>\n` +
    `    ${el("RequestId", requestId)}\n` +
    `  </ResponseMetadata>\n` +
    `</AssumeRoleWithSAMLResponse>\n`
  );
}

/** Element order of the API reference's sample response (API_GetCallerIdentity, "Sample Response"). */
export function renderGetCallerIdentityResponse(r: GetCallerIdentityResult, requestId: string): string {
  const el = (name: string, value: string) => `<${name}>${escapeXml(value)}</${name}>`;
  return (
    `<GetCallerIdentityResponse xmlns="${STS_NS}">\n` +
    `  <GetCallerIdentityResult>\n` +
    `    ${el("Arn", r.arn)}\n` +
    `    ${el("UserId", r.userId)}\n` +
    `    ${el("Account", r.account)}\n` +
    `  </GetCallerIdentityResult>\n` +
    `  <ResponseMetadata>\n` +
    `    ${el("RequestId", requestId)}\n` +
    `  </ResponseMetadata>\n` +
    `</GetCallerIdentityResponse>\n`
  );
}
