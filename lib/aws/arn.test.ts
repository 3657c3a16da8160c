import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseRoleArn, parseSamlProviderArn } from "./arn";

describe("parseRoleArn", () => {
  it("parses plain and path roles in every partition", () => {
    expect(parseRoleArn("arn:aws:iam::123456789012:role/Admin")).toEqual({
      arn: "arn:aws:iam::123456789012:role/Admin",
      partition: "aws",
      accountId: "123456789012",
      path: "/",
      name: "Admin",
    });
    expect(parseRoleArn("arn:aws-us-gov:iam::123456789012:role/path/to/Name")).toMatchObject({
      partition: "aws-us-gov",
      path: "/path/to/",
      name: "Name",
    });
    expect(parseRoleArn("arn:aws-cn:iam::123456789012:role/a+b=c,d.e@f_g-h").name).toBe("a+b=c,d.e@f_g-h");
  });

  it.each([
    ["", /20 to 2048/],
    ["arn:aws:iam::123456789012:role/", /role name is missing/],
    ["arn:aws:iam::12345678901:role/Admin", /12 digits/],
    ["arn:aws:iam::1234567890123:role/Admin", /12 digits/],
    ["arn:aws:iam::12345678901a:role/Admin", /12 digits/],
    ["arn:aws-iso:iam::123456789012:role/Admin", /unknown partition/],
    ["arn:aws:sts::123456789012:role/Admin", /service must be "iam"/],
    ["arn:aws:iam:us-east-1:123456789012:role/Admin", /no region/],
    ["arn:aws:iam::123456789012:user/Admin", /must start with "role\/"/],
    ["arn:aws:iam::123456789012:role/Ad min", /role name has/],
    ["arn:aws:iam::123456789012:role/Ad<min", /role name has/],
    [`arn:aws:iam::123456789012:role/${"a".repeat(65)}`, /role name has/],
    ["arn:aws:iam::123456789012:role/a//Admin", /empty segment/],
    ["arn:aws:iam::123456789012:role/pä th/Admin", /printable ASCII/],
    ["xrn:aws:iam::123456789012:role/Admin", /expected arn:/],
  ])("refuses %j", (arn, message) => {
    expect(() => parseRoleArn(arn)).toThrow(message);
  });

  it("throws AppError with code arn.invalid and a clear user message", () => {
    try {
      parseRoleArn("arn:aws:iam::123:role/Admin");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("arn.invalid");
      expect((err as AppError).status).toBe(400);
      expect((err as AppError).userMessage).toContain("is not a valid role ARN: the account id must be 12 digits");
    }
  });

  it("allows a 64-character name and a long path within limits", () => {
    const name = "n".repeat(64);
    expect(parseRoleArn(`arn:aws:iam::123456789012:role/${"p/".repeat(200)}${name}`).name).toBe(name);
    expect(() => parseRoleArn(`arn:aws:iam::123456789012:role/${"p/".repeat(300)}x`)).toThrow(/longer than 512/); // path > 512
  });
});

describe("parseSamlProviderArn", () => {
  it("parses a provider", () => {
    expect(parseSamlProviderArn("arn:aws:iam::123456789012:saml-provider/Jetway_prod-1.x")).toEqual({
      arn: "arn:aws:iam::123456789012:saml-provider/Jetway_prod-1.x",
      partition: "aws",
      accountId: "123456789012",
      name: "Jetway_prod-1.x",
    });
  });

  it.each([
    "arn:aws:iam::123456789012:saml-provider/",
    "arn:aws:iam::123456789012:saml-provider/a/b",
    "arn:aws:iam::123456789012:saml-provider/a@b",
    "arn:aws:iam::123456789012:oidc-provider/x",
    "arn:aws:iam::123456789012:role/Admin",
  ])("refuses %s", (arn) => {
    expect(() => parseSamlProviderArn(arn)).toThrow(AppError);
  });
});
