import { AppError } from "../errors";

/**
 * Every way a SAML Response can be refused, with the HTTP status and the sentence a person sees.
 * The log text (`message`) is given per occurrence and says precisely what was wrong.
 * 400: the message itself is unusable; 413: it is larger than Jetway accepts (as when the whole
 * form body is, lib/http/read-form-body.ts); 401: it does not prove who sent it or it is no longer
 * valid; 403: it is authentic but not meant for us, or the IdP refused the sign-in.
 */
const samlErrorKinds = {
  "saml.malformed": {
    status: 400,
    userMessage: "The sign-in response from your identity provider could not be read.",
  },
  "saml.doctype_forbidden": {
    status: 400,
    userMessage: "The sign-in response from your identity provider contains content that is not allowed.",
  },
  "saml.too_large": {
    status: 413,
    userMessage: "The sign-in response from your identity provider is too large.",
  },
  "saml.encrypted_no_key": {
    status: 400,
    userMessage:
      "Your identity provider encrypted the sign-in response, but Jetway has no decryption key for it. Ask an administrator to check the identity provider settings.",
  },
  "saml.unknown_issuer": {
    status: 403,
    userMessage: "The sign-in response comes from an identity provider that Jetway does not know.",
  },
  "saml.signature_invalid": {
    status: 401,
    userMessage: "The sign-in response could not be verified as coming from your identity provider.",
  },
  "saml.weak_algorithm": {
    status: 401,
    userMessage:
      "Your identity provider signed the sign-in response with an algorithm Jetway does not accept. Ask an administrator to switch it to SHA-256.",
  },
  "saml.encryption_algorithm_refused": {
    status: 400,
    userMessage:
      "Your identity provider encrypted the sign-in response with an algorithm Jetway does not accept. Ask an administrator to have it use AES-GCM with RSA-OAEP.",
  },
  // Only ever seen inside saml.encrypted_assertion_invalid's log message (the validator wraps
  // every failure from decryption on); kept as a code so that the log names the rule.
  "saml.decryption_failed": {
    status: 401,
    userMessage: "The encrypted sign-in response could not be decrypted.",
  },
  // Every refusal from decryption on (decryption itself, the plaintext, the inner signature, any
  // rule on the decrypted assertion) answers with this one status and sentence: a different
  // answer per failure is a decryption oracle. The log message starts with the rule's own code.
  "saml.encrypted_assertion_invalid": {
    status: 401,
    userMessage: "The encrypted sign-in response could not be decrypted and verified. Please sign in again.",
  },
  "saml.expired": {
    status: 401,
    userMessage: "The sign-in response has expired. Please sign in again.",
  },
  "saml.not_yet_valid": {
    status: 401,
    userMessage:
      "The sign-in response is not valid yet; the clocks of Jetway and your identity provider may disagree. Please try again.",
  },
  "saml.stale": {
    status: 401,
    userMessage: "The sign-in response is too old. Please sign in again.",
  },
  "saml.replayed": {
    status: 401,
    userMessage: "This sign-in response has already been used. Please sign in again.",
  },
  "saml.audience_mismatch": {
    status: 403,
    userMessage: "The sign-in response was meant for another application.",
  },
  "saml.destination_mismatch": {
    status: 403,
    userMessage: "The sign-in response was sent to another address than Jetway's.",
  },
  "saml.recipient_mismatch": {
    status: 403,
    userMessage: "The sign-in response was meant for another address than Jetway's.",
  },
  "saml.issuer_mismatch": {
    status: 403,
    userMessage: "The sign-in response does not come from the identity provider it claims.",
  },
  "saml.status_not_success": {
    status: 403,
    userMessage: "Your identity provider did not sign you in.",
  },
  "saml.not_bearer": {
    status: 403,
    userMessage: "The sign-in response uses a kind of confirmation that Jetway does not accept.",
  },
  "saml.in_response_to_mismatch": {
    status: 403,
    userMessage: "The sign-in response does not answer the sign-in request Jetway sent. Please sign in again.",
  },
  "saml.browser_binding_missing": {
    status: 403,
    userMessage:
      "This sign-in was started in another browser (or too long ago): Jetway finishes a sign-in only in the browser that started it. Start again from this browser.",
  },
  "saml.idp_initiated_not_allowed": {
    status: 403,
    userMessage:
      "Sign-in from your identity provider's portal is not allowed for this connection. Start from Jetway instead.",
  },
  "saml.configuration": {
    status: 500,
    userMessage: "Jetway's settings for this identity provider are incomplete. Ask an administrator.",
  },
} as const satisfies Record<string, { status: number; userMessage: string }>;

export type SamlErrorCode = keyof typeof samlErrorKinds;

export class SamlValidationError extends AppError {
  declare readonly code: SamlErrorCode;

  constructor(code: SamlErrorCode, message: string, options: { cause?: unknown } = {}) {
    const kind = samlErrorKinds[code];
    super(code, { message, userMessage: kind.userMessage, status: kind.status, cause: options.cause });
    this.name = "SamlValidationError";
  }
}

/** Shorthand for the many refusals in the validator: `throw samlError("saml.expired", "...")`. */
export function samlError(code: SamlErrorCode, message: string, cause?: unknown): SamlValidationError {
  return new SamlValidationError(code, message, { cause });
}
