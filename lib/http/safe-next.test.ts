import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next";

const base = "https://jetway.example.com";

describe("safeNextPath", () => {
  it.each([
    ["/", "/"],
    [
      "/go/prod/Admin?destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fec2",
      "/go/prod/Admin?destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fec2",
    ],
    ["/?tab=x#top", "/?tab=x#top"],
    // Percent-encoded CR/LF stays encoded inside the path: harmless in a Location header.
    ["/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"],
    // Controls for the dot-segment cases below: a double slash after the first segment, and dot
    // segments that normalise to an ordinary path, stay accepted.
    ["/a//b", "/a//b"],
    ["/./portal", "/portal"],
    ["/a/../go/prod/Admin", "/go/prod/Admin"],
    ["/%2e/portal", "/portal"],
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

  // Each input starts with a single "/" and passes the checks on the input; URL parsing removes
  // the dot segment and leaves "//evil…", which a browser follows to another host.
  it.each([
    "/.//evil.example",
    "/.//evil.example/path?x=1",
    "/..//evil",
    "/%2e//evil",
    "/%2E//evil",
    "/%2e%2e//evil",
    "/.%2e//evil",
    "/a/..//evil",
    "/./%2e//evil",
    "/.///evil",
  ])("refuses %j, which normalises to a scheme-relative //host", (input) => {
    expect(new URL(input, base).pathname.startsWith("//")).toBe(true);
    expect(safeNextPath(input, base)).toBeUndefined();
  });

  it("refuses a dot-segment //host below a path prefix too", () => {
    expect(safeNextPath("/jetway/..//evil", "https://corp.example/jetway")).toBeUndefined();
    expect(safeNextPath("/jetway/%2e%2e//evil", "https://corp.example/jetway")).toBeUndefined();
    // Control: a double slash that stays below the prefix is an ordinary same-origin path.
    expect(safeNextPath("/jetway/.//portal", "https://corp.example/jetway")).toBe("/jetway//portal");
  });

  it("stays under the base URL's path prefix", () => {
    expect(safeNextPath("/jetway/portal", "https://corp.example/jetway")).toBe("/jetway/portal");
    expect(safeNextPath("/other", "https://corp.example/jetway")).toBeUndefined();
  });
});
