import { it } from "vitest";
import { writeFileSync } from "node:fs";
import { testKeyPair } from "./test-support/test-keys";
import { buildResponse, signXml } from "./test-support/test-idp";
it("dump", () => {
  const k = testKeyPair("jetway-test-idp");
  writeFileSync("/tmp/jw/signed.xml", signXml(buildResponse({ now: new Date() }), "assertion", k));
  writeFileSync("/tmp/jw/cert.pem", k.certPem);
});
