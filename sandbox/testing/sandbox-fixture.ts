import {
  AssumeRoleWithSAMLCommand,
  STSClient,
  type AssumeRoleWithSAMLCommandInput,
  type AssumeRoleWithSAMLCommandOutput,
} from "@aws-sdk/client-sts";
import type { SandboxConfigInput } from "../config";
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from "../server";
import {
  buildIdpMetadata,
  generateTestKeyPair,
  mintSamlResponse,
  type MintOptions,
  type TestKeyPair,
} from "./saml-test-idp";

// Shared set-up for the sandbox tests: one account, a few providers and roles, a real STS client.

export const ACCOUNT = "111111111111";
export const JETWAY_PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/Jetway`;
export const OTHER_PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/Other`;
export const WEAK_PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/Weak`;
export const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
export const READONLY_ROLE = `arn:aws:iam::${ACCOUNT}:role/ReadOnly`;
export const PATH_ROLE = `arn:aws:iam::${ACCOUNT}:role/team/platform/Dev`;
export const OTHER_ONLY_ROLE = `arn:aws:iam::${ACCOUNT}:role/OtherOnly`;
export const WEAK_ROLE = `arn:aws:iam::${ACCOUNT}:role/WeakRole`;
export const JETWAY_ENTITY_ID = "https://jetway.example.com/api/saml/aws/metadata";

export interface Fixture {
  sandbox: RunningSandbox;
  sts: STSClient;
  keys: { jetway: TestKeyPair; other: TestKeyPair };
  mint(overrides?: Partial<MintOptions>): string;
  assume(
    samlAssertion: string,
    input?: Partial<AssumeRoleWithSAMLCommandInput>,
    client?: STSClient,
  ): Promise<AssumeRoleWithSAMLCommandOutput>;
  clientFor(endpoint: string): STSClient;
}

export function baseConfig(keys: { jetway: TestKeyPair; other: TestKeyPair; weak: TestKeyPair }): SandboxConfigInput {
  return {
    samlProviders: [
      { arn: JETWAY_PROVIDER, metadataXml: buildIdpMetadata(JETWAY_ENTITY_ID, [keys.jetway]) },
      { arn: OTHER_PROVIDER, metadataXml: buildIdpMetadata("https://other.example.com/idp", [keys.other]) },
      { arn: WEAK_PROVIDER, metadataXml: buildIdpMetadata("https://weak.example.com/idp", [keys.weak]) },
    ],
    roles: [
      {
        arn: ADMIN_ROLE,
        maxSessionDuration: 7200,
        trustedProviders: [JETWAY_PROVIDER],
        samlAud: ["https://signin.aws.amazon.com/saml"],
        allowSetSourceIdentity: true,
        allowTagSession: true,
      },
      { arn: READONLY_ROLE, maxSessionDuration: 3600, trustedProviders: [JETWAY_PROVIDER] },
      { arn: PATH_ROLE, trustedProviders: [JETWAY_PROVIDER] },
      { arn: OTHER_ONLY_ROLE, trustedProviders: [OTHER_PROVIDER] },
      { arn: WEAK_ROLE, trustedProviders: [WEAK_PROVIDER] },
    ],
    regions: { disabled: ["me-south-1"] },
  };
}

export async function createFixture(options: StartSandboxOptions = {}): Promise<Fixture> {
  const keys = { jetway: generateTestKeyPair(2048), other: generateTestKeyPair(2048), weak: generateTestKeyPair(512) };
  const sandbox = await startSandbox(baseConfig(keys), { port: 0, ...options });
  const clientFor = (endpoint: string) =>
    // No credentials on purpose: AssumeRoleWithSAML is an unsigned call.
    new STSClient({ region: "us-east-1", endpoint, maxAttempts: 1 });
  const sts = clientFor(sandbox.url);
  const mint = (overrides: Partial<MintOptions> = {}) =>
    mintSamlResponse({
      key: keys.jetway,
      issuer: JETWAY_ENTITY_ID,
      roles: [
        `${ADMIN_ROLE},${JETWAY_PROVIDER}`,
        `${READONLY_ROLE},${JETWAY_PROVIDER}`,
        `${PATH_ROLE},${JETWAY_PROVIDER}`,
      ],
      ...overrides,
    }).samlAssertion;
  const assume = (
    samlAssertion: string,
    input: Partial<AssumeRoleWithSAMLCommandInput> = {},
    client = sts,
  ): Promise<AssumeRoleWithSAMLCommandOutput> =>
    client.send(
      new AssumeRoleWithSAMLCommand({
        RoleArn: ADMIN_ROLE,
        PrincipalArn: JETWAY_PROVIDER,
        SAMLAssertion: samlAssertion,
        ...input,
      }),
    );
  return { sandbox, sts, keys, mint, assume, clientFor };
}
