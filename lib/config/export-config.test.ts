import { describe, expect, it } from "vitest";
import {
  accountConfigSchema,
  identityProviderConfigSchema,
  jetwayConfigSchema,
  mappingConfigSchema,
  portalConfigSchema,
} from "./config-schema";
import { EXPORTED_IDP_KEYS } from "./export-config";

// An export that drops a key turns an export → import round trip into a silent change (the key
// falls back to its default). These lists must follow the schema; the round trip itself is
// tested in lib/admin/config/import-config.test.ts.
describe("exportConfig covers the whole config schema", () => {
  it("identity providers", () => {
    expect(Object.keys(identityProviderConfigSchema.shape).sort()).toEqual(
      [...EXPORTED_IDP_KEYS, "metadataFile"].sort(),
    );
  });

  it("accounts, mappings, admins", () => {
    expect(Object.keys(accountConfigSchema.shape).sort()).toEqual([
      "alias",
      "color",
      "confirmOpen",
      "defaultRegion",
      "environment",
      "environmentTagKey",
      "id",
      "partition",
      "regions",
      "samlProviderArn",
    ]);
    // The access keys are written by accessSettingsToConfig (lib/config/mapping-access.ts), tested there.
    expect(Object.keys(mappingConfigSchema.shape).sort()).toEqual([
      "access",
      "approvalsRequired",
      "approvers",
      "breakGlass",
      "group",
      "groupPattern",
      "idp",
      "label",
      "maxDuration",
      "requireReason",
      "requireTicket",
      "roleArn",
      "sessionDuration",
    ]);
    expect(Object.keys(jetwayConfigSchema.shape).sort()).toEqual([
      "accounts",
      "admins",
      "audit",
      "identityProviders",
      "mappings",
      // audit.sinks and notifications.webhooks are exported from the AuditSink rows (lib/config/audit-sinks.ts).
      "notifications",
      "portal",
    ]);
    expect(Object.keys(portalConfigSchema.shape)).toEqual(["adminContact"]);
  });
});
