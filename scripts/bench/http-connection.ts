import net from "node:net";

export interface HttpAnswer {
  status: number;
  /** Header names in lower case; each value as received (set-cookie may repeat). */
  headers: Map<string, string[]>;
  body: Buffer;
}

export interface HttpRequest {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface Pending {
  resolve: (answer: HttpAnswer) => void;
  reject: (error: Error) => void;
}

const HEADERS_END = Buffer.from("\r\n\r\n");
const LINE_END = Buffer.from("\r\n");

/**
 * One browser's keep-alive HTTP/1.1 connection to a loopback server, one request at a time. The
 * load generator shares the benchmark's two cores with the server: node:http's client costs about
 * 0.5 ms of CPU per request (a ClientRequest, an IncomingMessage and their streams), this about a
 * fifth of that, which leaves the server the difference. It reads what Jetway answers (a body with
 * content-length or chunked, no trailers, no body for 204/304) and nothing fancier; a connection
 * the server closed is opened again for the next request.
 */
export class HttpConnection {
  private socket: net.Socket | undefined;
  private pending: Pending | undefined;
  private buffer: Buffer = Buffer.alloc(0);

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  request(request: HttpRequest): Promise<HttpAnswer> {
    if (this.pending) return Promise.reject(new Error("one request at a time"));
    const socket = this.socket ?? this.connect();
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    let head = `${request.method} ${request.path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\n`;
    for (const [name, value] of Object.entries(request.headers)) head += `${name}: ${value}\r\n`;
    if (body) head += `content-length: ${body.length}\r\n`;
    head += "\r\n";
    return new Promise<HttpAnswer>((resolve, reject) => {
      this.pending = { resolve, reject };
      socket.write(body ? Buffer.concat([Buffer.from(head, "latin1"), body]) : head);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(): net.Socket {
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      try {
        this.tryAnswer();
      } catch (error) {
        socket.destroy(error as Error);
      }
    });
    const gone = (error?: Error) => {
      // A connection already let go of (answered with "connection: close") has no request.
      if (this.socket !== socket) return;
      this.socket = undefined;
      const pending = this.pending;
      this.pending = undefined;
      pending?.reject(error ?? Object.assign(new Error("connection closed"), { code: "ECONNRESET" }));
    };
    socket.on("error", gone);
    socket.on("close", () => gone());
    return socket;
  }

  /** Answers the pending request once the buffer holds a whole response. */
  private tryAnswer(): void {
    const pending = this.pending;
    if (!pending) return;
    const headEnd = this.buffer.indexOf(HEADERS_END);
    if (headEnd < 0) return;
    const lines = this.buffer.toString("latin1", 0, headEnd).split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1] ?? NaN);
    const headers = new Map<string, string[]>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const values = headers.get(name);
      const value = line.slice(colon + 1).trim();
      if (values) values.push(value);
      else headers.set(name, [value]);
    }
    const bodyStart = headEnd + HEADERS_END.length;
    const body = this.readBody(status, headers, bodyStart);
    if (body === undefined) return;
    this.pending = undefined;
    this.buffer = this.buffer.subarray(body.end);
    if (headers.get("connection")?.[0]?.toLowerCase() === "close") this.close();
    if (Number.isNaN(status)) pending.reject(new Error("not an HTTP/1.1 response"));
    else pending.resolve({ status, headers, body: body.body });
  }

  /** The whole body and where the response ends, or undefined while it has not all arrived. */
  private readBody(
    status: number,
    headers: Map<string, string[]>,
    start: number,
  ): { body: Buffer; end: number } | undefined {
    if (status === 204 || status === 304) return { body: Buffer.alloc(0), end: start };
    const length = headers.get("content-length")?.[0];
    if (length !== undefined) {
      const end = start + Number(length);
      return this.buffer.length >= end ? { body: this.buffer.subarray(start, end), end } : undefined;
    }
    if (headers.get("transfer-encoding")?.[0]?.toLowerCase() !== "chunked")
      throw new Error("a response without content-length or chunked encoding");
    const parts: Buffer[] = [];
    let at = start;
    for (;;) {
      const lineEnd = this.buffer.indexOf(LINE_END, at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(this.buffer.toString("latin1", at, lineEnd), 16);
      const dataStart = lineEnd + LINE_END.length;
      if (size === 0) {
        // No trailers: the last chunk's line is followed by an empty line.
        return this.buffer.length >= dataStart + 2 ? { body: Buffer.concat(parts), end: dataStart + 2 } : undefined;
      }
      if (this.buffer.length < dataStart + size + 2) return undefined;
      parts.push(this.buffer.subarray(dataStart, dataStart + size));
      at = dataStart + size + 2;
    }
  }
}
