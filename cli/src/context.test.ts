import { describe, expect, it } from "vitest";

import { browserOpener } from "./context";

describe("browserOpener: a browser only where one can appear", () => {
  const always = () => true;
  it("Linux: xdg-open with a display, nothing without one (SSH, containers, CI) or without xdg-open", () => {
    expect(browserOpener("linux", { DISPLAY: ":0" }, always)?.command).toBe("xdg-open");
    expect(browserOpener("linux", { WAYLAND_DISPLAY: "wayland-0" }, always)?.args("https://j.example/device")).toEqual([
      "https://j.example/device",
    ]);
    expect(browserOpener("linux", {}, always)).toBeUndefined();
    expect(browserOpener("linux", { DISPLAY: ":0" }, () => false)).toBeUndefined();
  });
  it("macOS: open, except over SSH (it would open on the remote screen)", () => {
    expect(browserOpener("darwin", {}, always)?.command).toBe("open");
    expect(browserOpener("darwin", { SSH_CONNECTION: "10.0.0.1 5000 10.0.0.2 22" }, always)).toBeUndefined();
  });
});
