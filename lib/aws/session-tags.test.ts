import { describe, expect, it } from "vitest";
import { buildPrincipalTags, tagKeyProblem, tagValueProblem, withAccountTag } from "./session-tags";

describe("buildPrincipalTags", () => {
  it("maps single-valued attributes to tags, with transitive keys", () => {
    const result = buildPrincipalTags({
      attributes: { department: "Engineering", costCenter: ["12345"], email: "jd@example.com" },
      mapping: [
        { attribute: "department", tagKey: "Department", transitive: true },
        { attribute: "costCenter", tagKey: "CostCenter" },
        { attribute: "email", tagKey: "user:email" },
      ],
    });
    expect(result.tags).toEqual([
      { key: "Department", value: "Engineering" },
      { key: "CostCenter", value: "12345" },
      { key: "user:email", value: "jd@example.com" },
    ]);
    expect(result.transitiveTagKeys).toEqual(["Department"]);
    expect(result.warnings).toEqual([]);
  });

  it("accepts a plain attribute→key record", () => {
    expect(buildPrincipalTags({ attributes: { a: "1" }, mapping: { a: "A" } }).tags).toEqual([
      { key: "A", value: "1" },
    ]);
  });

  it("drops, with a warning naming key and attribute but not the value, whatever AWS would refuse", () => {
    const result = buildPrincipalTags({
      attributes: {
        groups: ["a", "b"],
        bad: "x<y>",
        long: "v".repeat(257),
        fine: "Zoë 日本 1:2/3=4+5-6@7_8.9",
        empty: "",
        secret: "s3cr3t;value",
      },
      mapping: [
        { attribute: "groups", tagKey: "Groups" },
        { attribute: "bad", tagKey: "Bad" },
        { attribute: "long", tagKey: "Long" },
        { attribute: "missing", tagKey: "Missing" },
        { attribute: "fine", tagKey: "aws:Reserved" },
        { attribute: "fine", tagKey: "k".repeat(129) },
        { attribute: "fine", tagKey: "Bad<Key" },
        { attribute: "fine", tagKey: "Fine" },
        { attribute: "fine", tagKey: "FINE" },
        { attribute: "empty", tagKey: "Empty", transitive: true },
        { attribute: "secret", tagKey: "Secret", transitive: true },
      ],
    });
    expect(result.tags).toEqual([
      { key: "Fine", value: "Zoë 日本 1:2/3=4+5-6@7_8.9" },
      { key: "Empty", value: "" },
    ]);
    expect(result.transitiveTagKeys).toEqual(["Empty"]);
    expect(result.warnings).toHaveLength(9);
    const all = result.warnings.join("\n");
    expect(all).toContain('tag "Groups" (from attribute "groups") dropped: the attribute has 2 values');
    expect(all).toContain('tag "Missing" (from attribute "missing") not set');
    expect(all).toContain("reserved prefix");
    expect(all).toContain("longer than 128");
    expect(all).toContain("longer than 256");
    expect(all).toContain("case-insensitive");
    expect(all).not.toContain("s3cr3t");
    expect(all).not.toContain("x<y>");
  });

  it("keeps at most 50 tags", () => {
    const attributes: Record<string, string> = {};
    const mapping = [];
    for (let i = 0; i < 55; i++) {
      attributes[`a${i}`] = `v${i}`;
      mapping.push({ attribute: `a${i}`, tagKey: `K${i}` });
    }
    const result = buildPrincipalTags({ attributes, mapping });
    expect(result.tags).toHaveLength(50);
    expect(result.warnings).toHaveLength(5);
    expect(result.warnings[0]).toContain("at most 50");
  });

  it("counts characters, not UTF-16 units", () => {
    expect(tagValueProblem("日".repeat(256))).toBeUndefined();
    expect(tagKeyProblem("𝒜".repeat(128))).toBeUndefined();
    expect(tagKeyProblem("")).toBe("the key is empty");
    // Emoji are symbols (\p{So}), outside AWS's letters/digits/spaces set.
    expect(tagValueProblem("ok 😀")).toMatch(/characters outside/);
  });
});

describe("withAccountTag", () => {
  const person = [
    { key: "Department", value: "Platform" },
    { key: "ENVIRONMENT", value: "laptop" },
  ];

  it("adds the account's tag after the person's", () => {
    expect(withAccountTag(person.slice(0, 1), ["Department"], { key: "Environment", value: "staging" })).toEqual({
      tags: [
        { key: "Department", value: "Platform" },
        { key: "Environment", value: "staging" },
      ],
      transitiveTagKeys: ["Department"],
    });
  });

  it("replaces a person's tag of the same key (case-insensitive), which also leaves TransitiveTagKeys", () => {
    expect(withAccountTag(person, ["ENVIRONMENT"], { key: "Environment", value: "production" })).toEqual({
      tags: [
        { key: "Department", value: "Platform" },
        { key: "Environment", value: "production" },
      ],
      transitiveTagKeys: [],
    });
  });

  it("keeps AWS's limit of 50: the person's last tag gives way", () => {
    const fifty = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    const { tags } = withAccountTag(fifty, [], { key: "Environment", value: "sandbox" });
    expect(tags).toHaveLength(50);
    expect(tags.at(-1)).toEqual({ key: "Environment", value: "sandbox" });
    expect(tags.map((t) => t.key)).not.toContain("k49");
  });

  it("adds nothing without an account tag, or with one AWS would refuse", () => {
    expect(withAccountTag(person, [], undefined).tags).toEqual(person);
    expect(withAccountTag(person, [], { key: "aws:env", value: "prod" }).tags).toEqual(person);
    expect(withAccountTag(person, [], { key: "Environment", value: "no!" }).tags).toEqual(person);
  });
});
