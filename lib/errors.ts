import { randomBytes } from "node:crypto";

/**
 * An error with two faces: `message` (and `detail`) for the log, `userMessage` for the person.
 * `status` is the HTTP status it maps to; `referenceId` ties the page to the log line.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly userMessage: string;
  readonly referenceId: string;

  constructor(code: string, options: { message: string; userMessage: string; status: number; cause?: unknown }) {
    super(options.message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = options.status;
    this.userMessage = options.userMessage;
    this.referenceId = newReferenceId();
  }
}

/**
 * `error` itself when it is an AppError, else a 500 AppError that keeps the original as its
 * cause and tells the person only that something went wrong on Jetway's side.
 */
export function asAppError(error: unknown, fallback: { code: string; context: string; userMessage: string }): AppError {
  if (error instanceof AppError) return error;
  return new AppError(fallback.code, {
    status: 500,
    message: `${fallback.context}: ${(error as Error)?.message ?? String(error)}`,
    userMessage: fallback.userMessage,
    cause: error,
  });
}

/** A short id a person can read out to support, e.g. "JW-7F3K9Q2M". */
export function newReferenceId(): string {
  const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  const bytes = randomBytes(8);
  let id = "";
  for (const b of bytes) id += alphabet[b % alphabet.length];
  return `JW-${id}`;
}
