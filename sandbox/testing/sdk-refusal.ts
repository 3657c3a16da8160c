import { expect } from "vitest";

/** What the unmodified AWS SDK throws for an AWS error answer (name, message, HTTP status). */
export interface SdkError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

/** The error a call was refused with; fails the test if it was not refused. */
export async function refusal(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (err) {
    return err as SdkError;
  }
  throw new Error("expected the call to be refused");
}

/** Expects the call refused with this error name and HTTP status (and message, when given). */
export async function expectRefused(
  promise: Promise<unknown>,
  name: string,
  status: number,
  message?: RegExp | string,
): Promise<SdkError> {
  const err = await refusal(promise);
  expect({ name: err.name, status: err.$metadata?.httpStatusCode }).toEqual({ name, status });
  if (message !== undefined) expect(err.message).toMatch(message);
  return err;
}
