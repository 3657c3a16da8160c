import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyConfig } from "@/lib/config/apply-config";
import { loadConfigFile } from "@/lib/config/load-config";
import { createTestSqlite } from "@/test/support/sqlite";
import { listSignInConnections } from "./list-connections";
import { oktaMetadata } from "@/test/support/saml/idp-metadata-xml";
import { testKeyPair } from "@/test/support/saml/test-keys";

const key = testKeyPair("list-connections-idp");

describe("listSignInConnections", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  beforeAll(async () => {
    env = await createTestSqlite();
  });
  afterAll(async () => env.cleanup());

  it("offers enabled, listed connections only (listed: false keeps a tile-only IdP off /login)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "jetway-list-"));
    writeFileSync(path.join(dir, "a.xml"), oktaMetadata("http://idp.example/a", key.certPem));
    writeFileSync(path.join(dir, "b.xml"), oktaMetadata("http://idp.example/b", key.certPem));
    writeFileSync(path.join(dir, "c.xml"), oktaMetadata("http://idp.example/c", key.certPem));
    writeFileSync(
      path.join(dir, "jetway.yaml"),
      [
        "identityProviders:",
        "  - { id: corp, name: Corporate, metadataFile: ./a.xml, emailDomains: [corp.example] }",
        "  - { id: partner, name: Partner tile only, metadataFile: ./b.xml, listed: false, emailDomains: [partner.example] }",
        "  - { id: old, name: Old IdP, metadataFile: ./c.xml, enabled: false, emailDomains: [old.example] }",
        "",
      ].join("\n"),
    );
    await applyConfig(env.db, await loadConfigFile(path.join(dir, "jetway.yaml")));
    expect(await listSignInConnections(env.db)).toEqual([{ id: "corp", name: "Corporate" }]);
    // Unlisted is not disabled: the connection still exists for the ACS and /login?idp=partner.
    expect(await env.db.idpConnection.findUniqueOrThrow({ where: { id: "partner" } })).toMatchObject({
      enabled: true,
      listed: false,
    });
  });
});
