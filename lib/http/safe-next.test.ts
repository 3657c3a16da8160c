import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next";

const base = "https://jetway.example.com";

describe("safeNextPath", () => {
  it.each([
    ["/", "/"],
    ["/go/prod/Admin?destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fec2", "/go/prod/Admin?destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fec2"],
    ["/?tab=x#top", "/?tab=x#top"],
    // Percent-encoded CR/LF stays encoded inside the path: harmless in a Location header.
    ["/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"],
  ])("keeps the same-origin path %s", (input, expected) => {
    expect(safeNextPath(input, base)).toBe(expected);
  });

  it.each([
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "evil",
    "/\tfoo",
    "/\nSet-Cookie:x",
    "",
    undefined,
    `/${"a".repeat(3000)}`,
  ])("refuses %j", (input) => {
    expect(safeNextPath(input, base)).toBeUndefined();
  });

  it("stays under the base URL's path prefix", () => {
    expect(safeNextPath("/jetway/portal", "https://corp.example/jetway")).toBe("/jetway/portal");
    expect(safeNextPath("/other", "https://corp.example/jetway")).toBeUndefined();
  });
});
