import { describe, expect, it } from "vitest";
import { accessSettingsToRow, STANDING } from "@/lib/access/access-settings";
import { mappingToConfig } from "./export-config";
import { configMappingIdentity, mappingIdentity, mappingKey } from "./mapping-identity";

const row = {
  id: "m1",
  connectionId: "corp",
  group: null,
  groupPattern: "aws-{account}-{role}",
  roleArn: "arn:aws:iam::{account}:role/{role}",
  accountId: null,
  label: "Any role",
  sessionDuration: 3600,
  ...accessSettingsToRow(STANDING),
};

describe("mapping identity", () => {
  it("is the group or pattern, the IdP and the role, nothing else", () => {
    expect(mappingIdentity(row)).toEqual({
      connectionId: "corp",
      group: null,
      groupPattern: "aws-{account}-{role}",
      roleArn: "arn:aws:iam::{account}:role/{role}",
    });
    const relabelled = { ...row, label: "Another label", sessionDuration: 900 };
    expect(mappingKey(relabelled)).toBe(mappingKey(row));
  });

  it("tells apart what differs in any identity field, including an unscoped rule from a scoped one", () => {
    const key = mappingKey(row);
    expect(mappingKey({ ...row, connectionId: null })).not.toBe(key);
    expect(mappingKey({ ...row, roleArn: "arn:aws:iam::111111111111:role/Admin" })).not.toBe(key);
    // The same text as a group and as a pattern are two rules.
    expect(mappingKey({ ...row, group: row.groupPattern, groupPattern: null })).not.toBe(key);
  });

  it("is the same for a stored row and its config file entry, so an export applies as no change", () => {
    const entry = mappingToConfig(row);
    expect(configMappingIdentity(entry)).toEqual(mappingIdentity(row));
    expect(mappingKey(configMappingIdentity({ ...entry, idp: undefined }))).toBe(
      mappingKey({ ...row, connectionId: null }),
    );
  });
});
