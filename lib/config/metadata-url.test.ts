import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchMetadata, parseConfigText } from "./load-config";
import { metadataUrlProblem } from "./metadata-url";

describe("metadataUrlProblem", () => {
  it.each([
    "https://corp.okta.com/app/exk123/sso/saml/metadata",
    "https://login.microsoftonline.com/tenant/federationmetadata/2007-06/federationmetadata.xml?appid=1",
    "http://127.0.0.1:8189/saml2/idp/metadata.php",
    "http://localhost/metadata",
    "http://idp.localhost:8080/metadata",
    "http://[::1]:9000/metadata",
  ])("accepts %s", (url) => {
    expect(metadataUrlProblem(url)).toBeNull();
  });

  it.each([
    ["plain http to another host", "http://idp.corp.example/metadata", /https:\/\/.*network path/],
    ["plain http to a private address", "http://10.0.0.5/metadata", /https:\/\//],
    ["the cloud instance metadata service", "http://169.254.169.254/latest/meta-data/", /https:\/\//],
    ["a lookalike of loopback", "http://127.0.0.1.evil.example/metadata", /https:\/\//],
    ["a file URL", "file:///etc/passwd", /Only https:\/\//],
    ["a data URL", "data:text/xml,<x/>", /Only https:\/\//],
    ["credentials in the URL", "https://user:pass@idp.example/metadata", /credentials/],
    ["not a URL", "idp.example/metadata", /Enter the https:\/\//],
  ])("refuses %s", (_what, url, message) => {
    expect(metadataUrlProblem(url)).toMatch(message);
  });

  it("is the rule of JETWAY_CONFIG, with the path to the field", () => {
    const text =
      "identityProviders:\n  - id: corp\n    name: Corp\n    metadataUrl: http://idp.corp.example/metadata\nadmins:\n  groups: [a]\n";
    expect(() => parseConfigText(text, "jetway.yaml")).toThrow(
      /identityProviders\[0\] \(corp\)\.metadataUrl: Use an https:\/\/ URL/,
    );
  });
});

describe("fetchMetadata", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/metadata") return void res.end("<EntityDescriptor/>");
      if (req.url === "/moved") return void res.writeHead(302, { location: "/metadata" }).end();
      if (req.url === "/downgrade")
        return void res.writeHead(302, { location: "http://idp.corp.example/metadata" }).end();
      if (req.url === "/loop") return void res.writeHead(302, { location: "/loop" }).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("follows a redirect that stays within the rule", async () => {
    await expect(fetchMetadata(`${base}/moved`)).resolves.toBe("<EntityDescriptor/>");
  });

  it("refuses a redirect to plain http on another host, without fetching it", async () => {
    await expect(fetchMetadata(`${base}/downgrade`)).rejects.toThrow(
      /redirected to http:\/\/idp\.corp\.example\/metadata: Use an https:\/\/ URL/,
    );
  });

  it("gives up after five redirects", async () => {
    await expect(fetchMetadata(`${base}/loop`)).rejects.toThrow(/more than 5 redirects/);
  });

  it("refuses a URL outside the rule before any request", async () => {
    await expect(fetchMetadata("http://169.254.169.254/latest/meta-data/")).rejects.toThrow(/https:\/\//);
  });

  it("reports an HTTP error status", async () => {
    await expect(fetchMetadata(`${base}/nope`)).rejects.toThrow("HTTP 404");
  });
});
