import fs from "node:fs";
import { SANDBOX_CALLS_URL, SANDBOX_SECRETS_FILE } from "./constants";

/** What the sandbox issued during the run (.e2e/sandbox-secrets.json, by start-sandbox.ts). */
export interface IssuedSecrets {
  accessKeyIds: string[];
  secretAccessKeys: string[];
  sessionTokens: string[];
  signinTokens: string[];
}

/** One line of the sandbox's GET /_sandbox/calls (sandbox/state.ts CallRecord): no secrets. */
export interface SandboxCall {
  at: string;
  action: string;
  requestId: string;
  httpStatus: number;
  outcome: string;
  message?: string;
  check?: string;
  signedRequest?: boolean;
  roleArn?: string;
  principalArn?: string;
  durationSeconds?: number;
  assumedRoleArn?: string;
  roleSessionName?: string;
  sourceIdentity?: string;
  accessKeyId?: string;
  destination?: string;
  issuer?: string;
  /** The region the call's endpoint named (a /<region> path), when it named one. */
  region?: string;
  /** AssumeRoleWithSAML: the sign-in endpoint the assertion was addressed to. */
  recipient?: string;
}

/** Every STS and federation call the sandbox has handled in this run, oldest first. */
export async function sandboxCalls(): Promise<SandboxCall[]> {
  const response = await fetch(SANDBOX_CALLS_URL);
  if (!response.ok) throw new Error(`GET ${SANDBOX_CALLS_URL}: HTTP ${response.status}`);
  return (await response.json()) as SandboxCall[];
}

/** What the sandbox issued so far (written by e2e/support/start-sandbox.ts). */
export function issuedSecrets(): IssuedSecrets {
  return JSON.parse(fs.readFileSync(SANDBOX_SECRETS_FILE, "utf8")) as IssuedSecrets;
}
