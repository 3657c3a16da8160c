import { describe, expect, it } from "vitest";
import { resolveConsoleDestination } from "@/lib/broker/console-destination";
import { CONSOLE_REGIONS, CONSOLE_SERVICES, consoleServicePath, goLink } from "./console-services";
import { isRegionOf, PARTITIONS } from "./partitions";

describe("the tile menu's services and regions", () => {
  it("offers only regions of each partition", () => {
    for (const partition of PARTITIONS) {
      expect(CONSOLE_REGIONS[partition].length).toBeGreaterThan(0);
      for (const region of CONSOLE_REGIONS[partition]) expect(isRegionOf(region, partition), region).toBe(true);
    }
  });

  it("every service in every region is a destination /go accepts, on the account's own console host", () => {
    for (const partition of PARTITIONS) {
      for (const service of CONSOLE_SERVICES) {
        for (const region of [undefined, ...CONSOLE_REGIONS[partition]]) {
          const url = new URL(resolveConsoleDestination(consoleServicePath(service, region), partition));
          expect(url.pathname).toBe(service.path);
          expect(url.searchParams.get("region")).toBe(service.global ? null : (region ?? null));
        }
      }
    }
  });

  it("builds /go deep links with the destination encoded", () => {
    const s3 = CONSOLE_SERVICES.find((s) => s.id === "s3")!;
    expect(goLink("prod", "ReadOnly")).toBe("/go/prod/ReadOnly");
    expect(goLink("prod", "ReadOnly", consoleServicePath(s3, "eu-west-1"))).toBe(
      "/go/prod/ReadOnly?destination=%2Fs3%2Fbuckets%3Fregion%3Deu-west-1",
    );
    expect(
      consoleServicePath(
        CONSOLE_SERVICES.find((s) => s.id === "iam")!,
        "eu-west-1",
      ),
    ).toBe("/iam/home");
  });
});
