import { describe, expect, it } from "vitest";
import { backWithNotice, noticeText } from "./request-notices";

describe("backWithNotice", () => {
  it("goes back to a path of this site with the notice added", () => {
    expect(backWithNotice("/requests", "approve", "/")).toBe("/requests?notice=approve");
    expect(backWithNotice("/requests?state=active&page=2", "revoke", "/")).toBe(
      "/requests?state=active&page=2&notice=revoke",
    );
    expect(backWithNotice("/requests/abc?notice=requested", "cancel", "/")).toBe("/requests/abc?notice=cancel");
  });

  it("never leaves the site", () => {
    for (const back of [
      "//evil.example/x",
      "https://evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
      "",
      undefined,
    ]) {
      expect(backWithNotice(back, "deny", "/requests/r1")).toBe("/requests/r1?notice=deny");
    }
  });
});

describe("noticeText", () => {
  it("knows its notices and nothing else", () => {
    expect(noticeText("approve")).toBe("Approved.");
    expect(noticeText("toString")).toBeNull();
    expect(noticeText(undefined)).toBeNull();
  });
});
