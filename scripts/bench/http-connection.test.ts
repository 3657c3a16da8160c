import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HttpConnection } from "./http-connection";

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(handler: http.RequestListener): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server = http.createServer(handler);
  server.on("connection", () => connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, connections: () => connections };
}

describe("HttpConnection", () => {
  it("reads content-length and chunked bodies, repeated headers, and keeps one connection", async () => {
    const { port, connections } = await serve((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        if (req.url === "/chunked") {
          res.setHeader("set-cookie", ["a=1; Path=/", "b=2; Path=/"]);
          res.write("x".repeat(70_000));
          setTimeout(() => res.end("tail"), 5);
        } else {
          res.writeHead(303, { location: "/next", "content-type": "text/plain" });
          res.end(`${req.method} ${req.headers.cookie ?? ""} ${body}`);
        }
      });
    });
    const connection = new HttpConnection("127.0.0.1", port);
    const posted = await connection.request({ method: "POST", path: "/form", headers: { cookie: "s=1" }, body: "é=1" });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toEqual(["/next"]);
    expect(posted.body.toString()).toBe("POST s=1 é=1");

    const chunked = await connection.request({ method: "GET", path: "/chunked", headers: {} });
    expect(chunked.status).toBe(200);
    expect(chunked.headers.get("set-cookie")).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect(chunked.body.toString()).toBe(`${"x".repeat(70_000)}tail`);
    expect(connections()).toBe(1);
    connection.close();
  });

  it("opens the connection again after the server closed it", async () => {
    const { port, connections } = await serve((_req, res) => {
      res.setHeader("connection", "close");
      res.end("bye");
    });
    const connection = new HttpConnection("127.0.0.1", port);
    for (let i = 0; i < 3; i++)
      expect((await connection.request({ method: "GET", path: "/", headers: {} })).body.toString()).toBe("bye");
    expect(connections()).toBe(3);
  });

  it("fails the request when the connection drops before the answer", async () => {
    const { port } = await serve((req) => req.socket.destroy());
    const connection = new HttpConnection("127.0.0.1", port);
    await expect(connection.request({ method: "GET", path: "/", headers: {} })).rejects.toThrow(/closed|reset/i);
  });
});
