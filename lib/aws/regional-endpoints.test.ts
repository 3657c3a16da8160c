import { describe, expect, it } from "vitest";
import { regionalEndpoints, signinEndpointsAfter, storedRegions } from "./regional-endpoints";

describe("regionalEndpoints", () => {
  it("gives each listed region its own STS, SAML and federation endpoints, in order", () => {
    expect(
      regionalEndpoints({ partition: "aws", regions: ["eu-west-1", "us-east-1"], defaultRegion: "eu-central-1" }),
    ).toEqual([
      {
        region: "eu-west-1",
        sts: "https://sts.eu-west-1.amazonaws.com",
        samlDestination: "https://eu-west-1.signin.aws.amazon.com/saml",
        federation: "https://eu-west-1.signin.aws.amazon.com/federation",
      },
      {
        region: "us-east-1",
        sts: "https://sts.us-east-1.amazonaws.com",
        // us-east-1's sign-in endpoint has no region prefix (AWS Sign-In endpoints table).
        samlDestination: "https://signin.aws.amazon.com/saml",
        federation: "https://signin.aws.amazon.com/federation",
      },
    ]);
  });

  it("without regions: the single endpoint accounts always had (regional STS, global sign-in)", () => {
    expect(regionalEndpoints({ partition: "aws", regions: [], defaultRegion: "eu-west-1" })).toEqual([
      {
        region: "eu-west-1",
        sts: "https://sts.eu-west-1.amazonaws.com",
        samlDestination: "https://signin.aws.amazon.com/saml",
        federation: "https://signin.aws.amazon.com/federation",
      },
    ]);
    expect(regionalEndpoints({ partition: "aws-us-gov", regions: [], defaultRegion: null })).toEqual([
      {
        region: "us-gov-west-1",
        sts: "https://sts.us-gov-west-1.amazonaws.com",
        samlDestination: "https://signin.amazonaws-us-gov.com/saml",
        federation: "https://signin.amazonaws-us-gov.com/federation",
      },
    ]);
  });

  it("fills {region} into the endpoint overrides (one sandbox for several regions); a plain override serves all", () => {
    const overrides = { sts: "http://127.0.0.1:4566/{region}", signin: "http://127.0.0.1:4566/{region}/federation" };
    const [a, b] = regionalEndpoints(
      { partition: "aws", regions: ["eu-west-1", "eu-central-1"], defaultRegion: null },
      overrides,
    );
    expect(a).toEqual({
      region: "eu-west-1",
      sts: "http://127.0.0.1:4566/eu-west-1",
      samlDestination: "https://eu-west-1.signin.aws.amazon.com/saml",
      federation: "http://127.0.0.1:4566/eu-west-1/federation",
    });
    expect(b?.sts).toBe("http://127.0.0.1:4566/eu-central-1");
    expect(
      regionalEndpoints({ partition: "aws", regions: [], defaultRegion: null }, { sts: "http://127.0.0.1:4566" }),
    ).toMatchObject([{ region: "us-east-1", sts: "http://127.0.0.1:4566" }]);
  });
});

describe("signinEndpointsAfter", () => {
  it("puts the region whose STS answered first, then the others in the account's order", () => {
    const endpoints = regionalEndpoints({
      partition: "aws",
      regions: ["eu-west-1", "eu-central-1", "eu-north-1"],
      defaultRegion: null,
    });
    expect(signinEndpointsAfter(endpoints, "eu-central-1").map((e) => e.region)).toEqual([
      "eu-central-1",
      "eu-west-1",
      "eu-north-1",
    ]);
  });
});

describe("storedRegions", () => {
  it("reads the column's JSON array, keeping the partition's region names once each", () => {
    expect(storedRegions('["eu-west-1","eu-central-1"]', "aws")).toEqual(["eu-west-1", "eu-central-1"]);
    expect(storedRegions('["eu-west-1","cn-north-1","eu-west-1"]', "aws")).toEqual(["eu-west-1"]);
    expect(storedRegions("[]", "aws")).toEqual([]);
    expect(storedRegions("not json", "aws")).toEqual([]);
    expect(storedRegions('{"a":1}', "aws")).toEqual([]);
    expect(storedRegions(null, "aws")).toEqual([]);
  });
});
