import { describe, expect, it } from "vitest";
import { changedFields } from "./changed-fields";

describe("changedFields", () => {
  const stored = { id: "corp", version: 3, name: "Corp", sloUrl: null, clockSkewSeconds: 180, enabled: true };

  it("names the fields of `after` whose value differs from the stored one, and ignores the others", () => {
    expect(changedFields(stored, { name: "Corp", sloUrl: null, clockSkewSeconds: 180 })).toEqual([]);
    expect(changedFields(stored, { name: "Corporate", sloUrl: "https://idp/slo", enabled: true })).toEqual([
      "name",
      "sloUrl",
    ]);
  });

  it("tells a value from its absence, but null from a missing value not", () => {
    expect(changedFields(stored, { sloUrl: undefined })).toEqual([]);
    expect(changedFields({ enabled: false }, { enabled: null })).toEqual(["enabled"]);
    expect(changedFields({ clockSkewSeconds: 0 }, { clockSkewSeconds: null })).toEqual(["clockSkewSeconds"]);
  });

  it("compares arrays, objects and dates by value", () => {
    const at = "2026-01-01T00:00:00.000Z";
    expect(
      changedFields(
        { tags: ["a", "b"], when: new Date(at), opts: { x: 1 } },
        { tags: ["a", "b"], when: new Date(at), opts: { x: 1 } },
      ),
    ).toEqual([]);
    expect(changedFields({ tags: ["a", "b"] }, { tags: ["b", "a"] })).toEqual(["tags"]);
  });

  it("compares the fields given, when either side may lack some", () => {
    const before: Record<string, unknown> = { label: "Admin", sessionDuration: 3600 };
    const after: Record<string, unknown> = { sessionDuration: 3600, groupsAttribute: "groups" };
    expect(changedFields(before, after, ["label", "sessionDuration", "groupsAttribute"])).toEqual([
      "label",
      "groupsAttribute",
    ]);
    // By default only `after`'s fields: a field it does not name is not compared.
    expect(changedFields(before, after)).toEqual(["groupsAttribute"]);
  });
});
