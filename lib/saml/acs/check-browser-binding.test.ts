import { describe, expect, it } from "vitest";
import { bindingCookieFor } from "@/test/support/browser-cookies";
import { AppError } from "@/lib/errors";
import { parseSamlXml } from "../parse-saml-xml";
import { buildResponse } from "@/test/support/saml/test-idp";
import { checkBrowserBinding, claimedRequestId } from "./check-browser-binding";

const secret = "check-browser-binding-test-secret-0123456789";
const doc = (inResponseTo: string | null, scdInResponseTo?: string | null) =>
  parseSamlXml(buildResponse({ now: new Date(), inResponseTo, scdInResponseTo }));

describe("claimedRequestId", () => {
  it("reads the request id from the Response or the SubjectConfirmationData, signed or not", () => {
    expect(claimedRequestId(doc("_r1"))).toBe("_r1");
    expect(claimedRequestId(doc("_r1", null))).toBe("_r1");
    expect(claimedRequestId(doc(null, "_r1"))).toBe("_r1");
    expect(claimedRequestId(doc(null))).toBeUndefined();
  });

  it("refuses a response that claims to answer two requests", () => {
    expect(() => claimedRequestId(doc("_r1", "_r2"))).toThrow(
      expect.objectContaining({ code: "saml.in_response_to_mismatch" }),
    );
  });
});

describe("checkBrowserBinding", () => {
  it("asks nothing of an unsolicited response", () => {
    expect(() => checkBrowserBinding(undefined, undefined, secret)).not.toThrow();
  });

  it("accepts the browser holding the request's binding, and refuses one without it (403)", () => {
    expect(() => checkBrowserBinding("_r1", bindingCookieFor(secret, "_r0", "_r1"), secret)).not.toThrow();
    for (const cookie of [undefined, "", "garbage", bindingCookieFor(secret, "_r0")]) {
      let error: unknown;
      try {
        checkBrowserBinding("_r1", cookie, secret);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "saml.browser_binding_missing", status: 403 });
    }
  });
});
