import { readFileSync } from "node:fs";
import path from "node:path";
import { DOMParser } from "@xmldom/xmldom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPairWithCertificate, type KeyPairWithCertificate } from "@/lib/crypto/self-signed-cert";
import { NS } from "@/lib/saml/namespaces";
import { assumeRoleWithSaml } from "./assume-role-with-saml";
import { forgetRoleMaxDurations, withDurationFallback } from "./duration";
import { buildConsoleLoginUrl, getSigninToken } from "./federation";
import { mintAwsAssertion } from "./mint-aws-assertion";
import { consoleHomeUrl, isConsoleUrl } from "./partitions";
import { AWS_ATTRIBUTE } from "./saml-constants";
import { startLocalServer } from "@/test/support/local-server";
import { xmlsecVerify } from "@/test/support/saml/xmlsec";

/**
 * The pieces composed the way the /go route will: mint, assume with the duration fallback,
 * getSigninToken, login URL. The fake STS checks the signature with xmlsec1 and enforces a
 * role maximum of 1 h, like IAM would; the real sandbox (sandbox/) will check much more.
 */
const SUCCESS = readFileSync(path.join(__dirname, "fixtures", "sts-assume-role-with-saml-response.xml"), "utf8");
const ROLE = "arn:aws:iam::111111111111:role/Admin";
const PROVIDER = "arn:aws:iam::111111111111:saml-provider/Jetway";

let key: KeyPairWithCertificate;
let sts: Awaited<ReturnType<typeof startLocalServer>>;
let signin: Awaited<ReturnType<typeof startLocalServer>>;

beforeAll(async () => {
  key = await generateKeyPairWithCertificate({ commonName: "Jetway IdP for AWS", validDays: 1 });
  sts = await startLocalServer();
  signin = await startLocalServer();
  sts.respond((req, res) => {
    const form = new URLSearchParams(req.body);
    const xml = Buffer.from(form.get("SAMLAssertion") ?? "", "base64").toString("utf8");
    const fail = (status: number, code: string, message: string) =>
      res
        .writeHead(status, { "content-type": "text/xml" })
        .end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error></ErrorResponse>`,
        );
    if (!xmlsecVerify(xml, key.certificatePem, "Assertion").ok)
      return fail(400, "InvalidIdentityToken", "Response signature invalid");
    const doc = new DOMParser().parseFromString(xml, "text/xml");
    const roleValues = Array.from(doc.getElementsByTagNameNS(NS.saml, "Attribute"))
      .filter((a) => a.getAttribute("Name") === AWS_ATTRIBUTE.role)
      .flatMap((a) => Array.from(a.getElementsByTagNameNS(NS.saml, "AttributeValue")).map((v) => v.textContent));
    if (!roleValues.includes(`${form.get("RoleArn")},${form.get("PrincipalArn")}`)) {
      return fail(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML");
    }
    if (Number(form.get("DurationSeconds")) > 3600) {
      return fail(
        400,
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
      );
    }
    res.writeHead(200, { "content-type": "text/xml", "x-amzn-RequestId": "flow-1" }).end(SUCCESS);
  });
  signin.respond((req, res) => {
    const session = JSON.parse(req.url.searchParams.get("Session") ?? "{}") as { sessionId?: string };
    res.writeHead(200).end(JSON.stringify({ SigninToken: `token-for-${session.sessionId}` }));
  });
});

afterAll(async () => {
  forgetRoleMaxDurations();
  await Promise.all([sts.close(), signin.close()]);
});

describe("console sign-in, end to end against local fakes", () => {
  it("mints, assumes (falling back to 1 h), and builds the console URL", async () => {
    const destination = consoleHomeUrl("aws", "eu-west-1");
    expect(isConsoleUrl(destination, "aws")).toBe(true);

    const { result, duration, note } = await withDurationFallback({
      roleArn: ROLE,
      requested: 28800,
      attempt: async (sessionDuration) => {
        const minted = mintAwsAssertion({
          issuer: "https://jetway.example.com/api/saml/aws/metadata",
          signingKey: key,
          nameId: "00u1abcd",
          roleArn: ROLE,
          providerArn: PROVIDER,
          roleSessionName: "jane@example.com",
          sourceIdentity: "jane@example.com",
          sessionDuration,
          partition: "aws",
        });
        return assumeRoleWithSaml({
          roleArn: ROLE,
          principalArn: PROVIDER,
          samlAssertionB64: minted.base64,
          durationSeconds: sessionDuration,
          endpoint: sts.url,
          region: "eu-west-1",
          maxAttempts: 1,
        });
      },
    });
    expect(duration).toBe(3600);
    expect(note).toContain("shortened to 1 h");
    expect(sts.requests.map((r) => new URLSearchParams(r.body).get("DurationSeconds"))).toEqual(["28800", "3600"]);
    expect(result.requestId).toBe("flow-1");

    const signinToken = await getSigninToken({
      credentials: result.credentials,
      federationEndpoint: `${signin.url}/federation`,
    });
    expect(signinToken).toBe("token-for-ASIAV3ZUEFP6EXAMPLE");

    const loginUrl = new URL(
      buildConsoleLoginUrl({
        federationEndpoint: `${signin.url}/federation`,
        issuer: "https://jetway.example.com/",
        destination,
        signinToken,
      }),
    );
    expect(loginUrl.searchParams.get("Action")).toBe("login");
    expect(loginUrl.searchParams.get("Destination")).toBe(destination);
  });
});
