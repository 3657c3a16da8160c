import { hasAuthnBinding } from "@/lib/auth/authn-binding";
import { NS } from "../namespaces";
import { samlError } from "../saml-errors";

/**
 * The AuthnRequest id a response claims to answer, read from the raw tree before any signature
 * is checked (the Response's and every SubjectConfirmationData's InResponseTo). Only used to
 * demand the browser binding early; whether the response is solicited is decided later from
 * signed bytes alone.
 */
export function claimedRequestId(doc: Document): string | undefined {
  const ids = new Set<string>();
  const root = doc.documentElement;
  if (root?.namespaceURI === NS.samlp) {
    const irt = root.getAttribute("InResponseTo");
    if (irt) ids.add(irt);
  }
  const scds = doc.getElementsByTagNameNS("*", "SubjectConfirmationData");
  for (let i = 0; i < scds.length; i++) {
    const irt = scds.item(i)?.getAttribute("InResponseTo");
    if (irt) ids.add(irt);
  }
  if (ids.size > 1)
    throw samlError(
      "saml.in_response_to_mismatch",
      `the response claims to answer several requests: ${JSON.stringify([...ids])}`,
    );
  return ids.values().next().value;
}

/**
 * Step 2 of the ACS: a response to an SP-initiated sign-in is accepted only in the browser that
 * started it (lib/auth/authn-binding.ts). Refused before the pending request is consumed, so a
 * response posted into someone else's browser (login CSRF) uses up nothing.
 */
export function checkBrowserBinding(
  requestId: string | undefined,
  bindingCookie: string | undefined,
  secret: string,
): void {
  if (requestId === undefined) return;
  if (!hasAuthnBinding(bindingCookie, secret, requestId)) {
    throw samlError(
      "saml.browser_binding_missing",
      `response to request ${requestId} arrived in a browser without that request's binding cookie (started in another browser, or the cookie expired)`,
    );
  }
}
