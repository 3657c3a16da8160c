import { describe, expect, it } from "vitest";
import {
  consoleHomeUrl,
  consoleHost,
  federationEndpoint,
  isConsoleUrl,
  isRegionOf,
  samlAudience,
  samlSigninUrl,
  stsEndpoint,
} from "./partitions";

describe("partitions", () => {
  it("knows the SAML sign-in URLs (Destination / Recipient)", () => {
    expect(samlSigninUrl("aws")).toBe("https://signin.aws.amazon.com/saml");
    expect(samlSigninUrl("aws", "eu-west-1")).toBe("https://eu-west-1.signin.aws.amazon.com/saml");
    // us-east-1's sign-in endpoint is the unprefixed host (AWS General Reference, "AWS Sign-In endpoints").
    expect(samlSigninUrl("aws", "us-east-1")).toBe("https://signin.aws.amazon.com/saml");
    expect(samlSigninUrl("aws-us-gov")).toBe("https://signin.amazonaws-us-gov.com/saml");
    expect(samlSigninUrl("aws-us-gov", "us-gov-east-1")).toBe("https://signin.amazonaws-us-gov.com/saml");
    expect(samlSigninUrl("aws-cn")).toBe("https://signin.amazonaws.cn/saml");
    expect(samlSigninUrl("aws-cn", "cn-northwest-1")).toBe("https://cn-northwest-1.signin.amazonaws.cn/saml");
  });

  it("knows the audiences", () => {
    expect(samlAudience("aws")).toBe("https://signin.aws.amazon.com/saml");
    expect(samlAudience("aws-us-gov")).toBe("urn:amazon:webservices:govcloud");
    expect(samlAudience("aws-cn")).toBe("https://signin.amazonaws.cn/saml");
  });

  it("knows the federation endpoints", () => {
    expect(federationEndpoint("aws")).toBe("https://signin.aws.amazon.com/federation");
    expect(federationEndpoint("aws", "us-east-2")).toBe("https://us-east-2.signin.aws.amazon.com/federation");
    expect(federationEndpoint("aws", "us-east-1")).toBe("https://signin.aws.amazon.com/federation");
    expect(federationEndpoint("aws-us-gov")).toBe("https://signin.amazonaws-us-gov.com/federation");
    expect(federationEndpoint("aws-cn")).toBe("https://signin.amazonaws.cn/federation");
  });

  it("knows the STS endpoints", () => {
    expect(stsEndpoint("aws")).toBe("https://sts.amazonaws.com");
    expect(stsEndpoint("aws", "eu-central-1")).toBe("https://sts.eu-central-1.amazonaws.com");
    expect(stsEndpoint("aws-us-gov")).toBe("https://sts.us-gov-west-1.amazonaws.com");
    expect(stsEndpoint("aws-us-gov", "us-gov-east-1")).toBe("https://sts.us-gov-east-1.amazonaws.com");
    expect(stsEndpoint("aws-cn")).toBe("https://sts.cn-north-1.amazonaws.com.cn");
    expect(stsEndpoint("aws-cn", "cn-northwest-1")).toBe("https://sts.cn-northwest-1.amazonaws.com.cn");
  });

  it("refuses a region of another partition", () => {
    expect(() => stsEndpoint("aws", "cn-north-1")).toThrow(/not a region of the AWS partition/);
    expect(() => samlSigninUrl("aws-cn", "eu-west-1")).toThrow();
    expect(isRegionOf("us-gov-west-1", "aws")).toBe(false);
    expect(isRegionOf("us-gov-west-1", "aws-us-gov")).toBe(true);
  });

  it("knows console hosts and home URLs", () => {
    expect(consoleHost("aws")).toBe("console.aws.amazon.com");
    expect(consoleHost("aws", "eu-west-1")).toBe("eu-west-1.console.aws.amazon.com");
    expect(consoleHomeUrl("aws")).toBe("https://console.aws.amazon.com/console/home");
    expect(consoleHomeUrl("aws", "eu-west-1")).toBe(
      "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1",
    );
    expect(consoleHomeUrl("aws-us-gov")).toBe("https://console.amazonaws-us-gov.com/console/home");
    expect(consoleHomeUrl("aws-cn")).toBe("https://console.amazonaws.cn/console/home");
  });

  describe("isConsoleUrl", () => {
    it.each([
      ["https://console.aws.amazon.com/", "aws"],
      ["https://console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:", "aws"],
      ["https://eu-west-1.console.aws.amazon.com/s3/buckets", "aws"],
      ["https://CONSOLE.AWS.AMAZON.COM/", "aws"],
      ["https://console.amazonaws-us-gov.com/iam/home", "aws-us-gov"],
      ["https://us-gov-west-1.console.amazonaws-us-gov.com/", "aws-us-gov"],
      ["https://console.amazonaws.cn/", "aws-cn"],
      ["https://cn-north-1.console.amazonaws.cn/ec2", "aws-cn"],
    ] as const)("accepts %s for %s", (url, partition) => {
      expect(isConsoleUrl(url, partition)).toBe(true);
    });

    it.each([
      ["http://console.aws.amazon.com/", "aws"],
      ["https://console.aws.amazon.com.evil.example/", "aws"],
      ["https://evilconsole.aws.amazon.com/", "aws"],
      ["https://evil.example/console.aws.amazon.com/", "aws"],
      ["https://user:pw@console.aws.amazon.com/", "aws"],
      ["https://console.aws.amazon.com:8443/", "aws"],
      ["https://console.aws.amazon.com./", "aws"],
      ["https://a.b.console.aws.amazon.com/", "aws"],
      ["https://not-a-region.console.aws.amazon.com/", "aws"],
      ["https://cn-north-1.console.aws.amazon.com/", "aws"],
      ["https://signin.aws.amazon.com/federation", "aws"],
      ["https://console.aws.amazon.com/", "aws-cn"],
      ["https://console.amazonaws.cn/", "aws"],
      ["https:\\\\evil.example", "aws"],
      ["https://console.aws.amazon.com\\@evil.example/", "aws"],
      ["//console.aws.amazon.com/", "aws"],
      ["/ec2/home", "aws"],
      ["javascript:alert(1)//console.aws.amazon.com", "aws"],
      ["", "aws"],
    ] as const)("refuses %s for %s", (url, partition) => {
      expect(isConsoleUrl(url, partition)).toBe(false);
    });
  });
});
