import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { buildConsoleLoginUrl, getSigninToken } from "./federation";
import { closedPort, startLocalServer } from "@/test/support/local-server";

const CREDENTIALS = {
  accessKeyId: "ASIAV3ZUEFP6EXAMPLE",
  secretAccessKey: "8P+SQvWIuLnKhh8d++jpw0nNmQRBZvNEXAMPLEKEY",
  sessionToken: "IQoJb3JpZ2luX2VjEOz////////////EXAMPLETOKEN+/=",
};

let server: Awaited<ReturnType<typeof startLocalServer>>;
beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

const endpoint = () => `${server.url}/federation`;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    for (const text of [e.message, e.userMessage, JSON.stringify(e)]) {
      expect(text).not.toContain(CREDENTIALS.secretAccessKey);
      expect(text).not.toContain("EXAMPLETOKEN");
      expect(text).not.toContain(encodeURIComponent(CREDENTIALS.secretAccessKey));
    }
    return e;
  }
  throw new Error("expected a failure");
}

describe("getSigninToken", () => {
  it("exchanges the credentials for a SigninToken with a GET, without SessionDuration", async () => {
    server.respond((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ SigninToken: "TOKEN-123" }));
    });
    const token = await getSigninToken({ credentials: CREDENTIALS, federationEndpoint: endpoint() });
    expect(token).toBe("TOKEN-123");
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe("GET");
    expect(req.url.pathname).toBe("/federation");
    expect(req.url.searchParams.get("Action")).toBe("getSigninToken");
    expect(req.url.searchParams.has("SessionDuration")).toBe(false);
    expect(JSON.parse(req.url.searchParams.get("Session")!)).toEqual({
      sessionId: CREDENTIALS.accessKeyId,
      sessionKey: CREDENTIALS.secretAccessKey,
      sessionToken: CREDENTIALS.sessionToken,
    });
  });

  it("sends SessionDuration only when asked, and checks its range", async () => {
    server.respond((_req, res) => res.writeHead(200).end('{"SigninToken":"T"}'));
    await getSigninToken({ credentials: CREDENTIALS, federationEndpoint: endpoint(), sessionDuration: 43200 });
    expect(server.requests[0]!.url.searchParams.get("SessionDuration")).toBe("43200");
    await expect(
      getSigninToken({ credentials: CREDENTIALS, federationEndpoint: endpoint(), sessionDuration: 899 }),
    ).rejects.toThrow(/900–43200/);
  });

  it("turns a 400 from the endpoint into a 502 that leaks nothing", async () => {
    server.respond((_req, res) =>
      res.writeHead(400, { "content-type": "text/plain" }).end(`bad ${CREDENTIALS.secretAccessKey}`),
    );
    const err = await failure(getSigninToken({ credentials: CREDENTIALS, federationEndpoint: endpoint() }));
    expect(err.code).toBe("federation.rejected");
    expect(err.status).toBe(502);
    expect(err.message).toContain("HTTP 400");
  });

  it.each([
    ["a 503", (_r: unknown, res: import("node:http").ServerResponse) => res.writeHead(503).end("down"), /HTTP 503/],
    [
      "a non-JSON 200",
      (_r: unknown, res: import("node:http").ServerResponse) => res.writeHead(200).end("<html>"),
      /not JSON/,
    ],
    [
      "a 200 without token",
      (_r: unknown, res: import("node:http").ServerResponse) => res.writeHead(200).end("{}"),
      /without a SigninToken/,
    ],
  ])("reports %s as the endpoint being unavailable", async (_label, handler, detail) => {
    server.respond(handler);
    const err = await failure(getSigninToken({ credentials: CREDENTIALS, federationEndpoint: endpoint() }));
    expect(err.code).toBe("federation.unreachable");
    expect(err.status).toBe(502);
    expect(err.message).toMatch(detail);
    expect(err.userMessage).toContain("could not reach the AWS sign-in service");
  });

  it("reports a closed port as unreachable", async () => {
    const port = await closedPort();
    const err = await failure(
      getSigninToken({ credentials: CREDENTIALS, federationEndpoint: `http://127.0.0.1:${port}/federation` }),
    );
    expect(err.code).toBe("federation.unreachable");
    expect(err.status).toBe(502);
    expect(err.cause).toBeUndefined();
  });

  it("times out", async () => {
    server.respond(() => {
      /* never answers */
    });
    const err = await failure(
      getSigninToken({ credentials: CREDENTIALS, federationEndpoint: endpoint(), timeoutMs: 200 }),
    );
    expect(err.message).toContain("timed out");
  });

  it("uses the given fetch", async () => {
    const fetchImpl = vi.fn(async () => new Response('{"SigninToken":"FROM-STUB"}', { status: 200 }));
    const token = await getSigninToken({
      credentials: CREDENTIALS,
      federationEndpoint: "https://signin.aws.amazon.com/federation",
      fetchImpl: fetchImpl,
    });
    expect(token).toBe("FROM-STUB");
    const url = (fetchImpl.mock.calls[0] as unknown as [URL])[0];
    expect(url.origin + url.pathname).toBe("https://signin.aws.amazon.com/federation");
  });

  it("refuses an endpoint with a query and incomplete credentials", async () => {
    await expect(
      getSigninToken({ credentials: CREDENTIALS, federationEndpoint: "https://signin.aws.amazon.com/federation?x=1" }),
    ).rejects.toThrow(/query/);
    await expect(
      getSigninToken({ credentials: { ...CREDENTIALS, sessionToken: "" }, federationEndpoint: endpoint() }),
    ).rejects.toThrow(/temporary credentials/);
  });
});

describe("buildConsoleLoginUrl", () => {
  it("builds the login URL with every parameter encoded", () => {
    const url = buildConsoleLoginUrl({
      federationEndpoint: "https://signin.aws.amazon.com/federation",
      issuer: "https://jetway.example.com/",
      destination: "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:tag=a&b",
      signinToken: "tok+en/with=chars&more",
    });
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe("https://signin.aws.amazon.com/federation");
    expect([...parsed.searchParams.keys()]).toEqual(["Action", "Issuer", "Destination", "SigninToken"]);
    expect(parsed.searchParams.get("Action")).toBe("login");
    expect(parsed.searchParams.get("Issuer")).toBe("https://jetway.example.com/");
    expect(parsed.searchParams.get("Destination")).toBe(
      "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:tag=a&b",
    );
    expect(parsed.searchParams.get("SigninToken")).toBe("tok+en/with=chars&more");
    expect(parsed.hash).toBe("");
  });

  it("refuses what is not a URL", () => {
    const base = {
      federationEndpoint: "https://signin.aws.amazon.com/federation",
      issuer: "https://jetway.example.com/",
      destination: "https://console.aws.amazon.com/",
      signinToken: "t",
    };
    expect(() => buildConsoleLoginUrl({ ...base, destination: "javascript:alert(1)" })).toThrow(/destination/);
    expect(() => buildConsoleLoginUrl({ ...base, destination: "/relative" })).toThrow(/destination/);
    expect(() => buildConsoleLoginUrl({ ...base, issuer: "nope" })).toThrow(/issuer/);
    expect(() => buildConsoleLoginUrl({ ...base, signinToken: "" })).toThrow(/signinToken/);
  });
});
