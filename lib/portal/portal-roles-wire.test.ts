import { describe, expect, it } from "vitest";
import type { PortalRole } from "./portal-role";
import { packPortalRoles, unpackPortalRoles } from "./portal-roles-wire";

function role(accountId: string, accountAlias: string, roleName: string, extra: Partial<PortalRole> = {}): PortalRole {
  return {
    roleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
    accountId,
    accountAlias,
    partition: "aws",
    partitionLabel: "AWS",
    defaultRegion: null,
    roleName,
    label: null,
    sessionDuration: 3600,
    environment: "production",
    color: "red",
    confirmOpen: true,
    href: `/go/${accountAlias}/${roleName}`,
    ...extra,
  };
}

describe("packPortalRoles / unpackPortalRoles", () => {
  it("sends each account's fields once and gives the same roles back, in order", () => {
    const roles = [
      role("111111111111", "prod", "Admin", { label: "Break-glass" }),
      role("111111111111", "prod", "ReadOnly"),
      role("222222222222", "stage", "Developer", { environment: "staging", color: "amber", confirmOpen: false }),
      role("111111111111", "prod", "Deployer", { sessionDuration: 28800 }),
    ];
    const packed = packPortalRoles(roles);
    expect(packed.accounts).toHaveLength(2);
    expect(packed.roles.map((r) => r.account)).toEqual([0, 0, 1, 0]);
    expect(packed.roles[0]).not.toHaveProperty("accountAlias");
    expect(packed.roles[0]).not.toHaveProperty("href");
    expect(unpackPortalRoles(packed)).toEqual(roles);
    // What the page serializes: the same after a JSON round trip.
    expect(unpackPortalRoles(JSON.parse(JSON.stringify(packed)) as typeof packed)).toEqual(roles);
  });

  it("is lossless when roles of one account id differ in an account field, and keeps an unusual href", () => {
    const roles = [
      role("111111111111", "prod", "Admin"),
      role("111111111111", "prod", "Viewer", { defaultRegion: "eu-west-1" }),
      role("333333333333", "a b/c", "Ops/Team", { href: "/elsewhere", environment: null, color: null }),
      role("444444444444", "gov", "Admin", { partition: "aws-us-gov", partitionLabel: "AWS GovCloud (US)" }),
    ];
    const packed = packPortalRoles(roles);
    expect(packed.accounts).toHaveLength(4);
    expect(packed.roles[2]!.href).toBe("/elsewhere");
    expect(unpackPortalRoles(packed)).toEqual(roles);
  });

  it("derives the usual /go link with its escaping", () => {
    const roles = [role("555555555555", "a b", "R+1", { href: "/go/a%20b/R%2B1" })];
    const packed = packPortalRoles(roles);
    expect(packed.roles[0]).not.toHaveProperty("href");
    expect(unpackPortalRoles(packed)[0]!.href).toBe("/go/a%20b/R%2B1");
  });
});
