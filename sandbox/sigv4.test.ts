import { describe, expect, it } from "vitest";
import {
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  expectedSignature,
  parseAuthorization,
  requestDateTime,
  stringToSign,
  credentialScope,
  type SignedHttpRequest,
} from "./sts/sigv4";

// AWS's Signature Version 4 test suite (the "aws-sig-v4-test-suite" once published in the AWS
// General Reference, "Signature Version 4 test suite"; also run by @smithy/signature-v4's
// suite.fixture.ts). Every case: key AKIDEXAMPLE, secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
// 20150830T123600Z, us-east-1, service "service". Each request is written as it travels on the wire
// (request line, header lines, blank line, body); the expected values are the suite's.

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const TOKEN =
  "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

interface Vector {
  name: string;
  req: string;
  signedHeaders: string;
  signature: string;
  /** The suite's canonical request, where worth spelling out. */
  creq?: string;
}

const H = "Host:example.amazonaws.com\nX-Amz-Date:20150830T123600Z";

const vectors: Vector[] = [
  {
    name: "get-vanilla",
    req: `GET / HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    creq: `GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_SHA256}`,
  },
  {
    name: "get-header-key-duplicate",
    req: "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value2\nMy-Header1:value2\nMy-Header1:value1\nX-Amz-Date:20150830T123600Z",
    signedHeaders: "host;my-header1;x-amz-date",
    signature: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
    creq: `GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n${EMPTY_SHA256}`,
  },
  {
    name: "get-header-value-order",
    req: "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value4\nMy-Header1:value1\nMy-Header1:value3\nMy-Header1:value2\nX-Amz-Date:20150830T123600Z",
    signedHeaders: "host;my-header1;x-amz-date",
    signature: "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01",
  },
  {
    name: "get-header-value-trim",
    req: 'GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1: value1\nMy-Header2: "a   b   c"\nX-Amz-Date:20150830T123600Z',
    signedHeaders: "host;my-header1;my-header2;x-amz-date",
    signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
    creq: `GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:"a b c"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n${EMPTY_SHA256}`,
  },
  {
    name: "get-unreserved",
    req: `GET /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f",
  },
  {
    name: "get-utf8",
    req: `GET /ሴ HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85",
    creq: `GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_SHA256}`,
  },
  {
    name: "get-vanilla-empty-query-key",
    req: `GET /?Param1=value1 HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb",
  },
  {
    name: "get-vanilla-query-order-key",
    req: `GET /?Param1=value2&Param1=Value1 HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1",
    creq: `GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_SHA256}`,
  },
  {
    name: "get-vanilla-query-order-key-case",
    req: `GET /?Param2=value2&Param1=value1 HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
  },
  {
    name: "get-vanilla-query-order-value",
    req: `GET /?Param1=value2&Param1=value1 HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694",
  },
  {
    name: "get-vanilla-query-unreserved",
    req: `GET /?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197",
  },
  {
    name: "get-vanilla-utf8-query",
    req: `GET /?ሴ=bar HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
    creq: `GET\n/\n%E1%88%B4=bar\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_SHA256}`,
  },
  {
    name: "post-vanilla",
    req: `POST / HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
  },
  {
    name: "post-header-key-sort",
    req: "POST / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value1\nX-Amz-Date:20150830T123600Z",
    signedHeaders: "host;my-header1;x-amz-date",
    signature: "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c",
  },
  {
    name: "post-header-value-case",
    req: "POST / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:VALUE1\nX-Amz-Date:20150830T123600Z",
    signedHeaders: "host;my-header1;x-amz-date",
    signature: "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d",
  },
  {
    name: "post-vanilla-query",
    req: `POST /?Param1=value1 HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
  },
  // As @smithy/signature-v4 runs them (the suite's own files disagree with themselves on content-length).
  {
    name: "post-x-www-form-urlencoded",
    req: `POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded\n${H}\n\nParam1=value1`,
    signedHeaders: "content-type;host;x-amz-date",
    signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
  },
  {
    name: "post-x-www-form-urlencoded-parameters",
    req: `POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded; charset=utf8\n${H}\n\nParam1=value1`,
    signedHeaders: "content-type;host;x-amz-date",
    signature: "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe",
  },
  {
    name: "post-sts-header-before",
    req: `POST / HTTP/1.1\n${H}\nX-Amz-Security-Token:${TOKEN}`,
    signedHeaders: "host;x-amz-date;x-amz-security-token",
    signature: "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
  },
  // The token added after signing, outside SignedHeaders: the signature is post-vanilla's.
  {
    name: "post-sts-header-after",
    req: `POST / HTTP/1.1\n${H}\nX-Amz-Security-Token:${TOKEN}`,
    signedHeaders: "host;x-amz-date",
    signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
  },
  // Path normalization.
  {
    name: "get-relative",
    req: `GET /example/.. HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
  },
  {
    name: "get-relative-relative",
    req: `GET /example1/example2/../.. HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
  },
  {
    name: "get-slash",
    req: `GET // HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
  },
  {
    name: "get-slash-dot-slash",
    req: `GET /./ HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
  },
  {
    name: "get-slash-pointless-dot",
    req: `GET /./example HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5",
  },
  {
    name: "get-slashes",
    req: `GET //example// HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84",
    creq: `GET\n/example/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_SHA256}`,
  },
  {
    name: "get-space",
    req: `GET /example space/ HTTP/1.1\n${H}`,
    signedHeaders: "host;x-amz-date",
    signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741",
  },
];

/** "METHOD target HTTP/1.1\nName:value...\n\nbody" → what the sandbox's server sees. */
function parseWire(text: string): SignedHttpRequest {
  const [head, body = ""] = text.split("\n\n") as [string, string?];
  const [requestLine, ...headerLines] = head.split("\n");
  const m = /^(\S+) (.+) HTTP\/1\.1$/.exec(requestLine!)!;
  const target = m[2]!;
  const q = target.indexOf("?");
  return {
    method: m[1]!,
    path: q === -1 ? target : target.slice(0, q),
    rawQuery: q === -1 ? "" : target.slice(q + 1),
    headers: headerLines.map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon), line.slice(colon + 1)] as const;
    }),
    body: Buffer.from(body, "utf8"),
  };
}

describe("Signature Version 4 test suite", () => {
  for (const v of vectors) {
    it(v.name, () => {
      const req = parseWire(v.req);
      const header = `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${v.signedHeaders}, Signature=${v.signature}`;
      const auth = parseAuthorization(header);
      const { amzDate } = requestDateTime(req);
      if (v.creq) expect(canonicalRequest(req, auth.signedHeaders)).toBe(v.creq);
      expect(expectedSignature(req, auth, amzDate, SECRET)).toBe(v.signature);
    });
  }

  it("string to sign of get-vanilla", () => {
    const req = parseWire(vectors[0]!.req);
    const auth = parseAuthorization(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`,
    );
    expect(stringToSign("20150830T123600Z", credentialScope(auth), canonicalRequest(req, auth.signedHeaders))).toBe(
      "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
    );
  });
});

describe("canonical parts", () => {
  it("encodes the path once more (twice in all) and keeps the trailing slash", () => {
    expect(canonicalUri("/eu-west-1/")).toBe("/eu-west-1/");
    expect(canonicalUri("/a%20b")).toBe("/a%2520b");
    expect(canonicalUri("")).toBe("/");
  });

  it("decodes then re-encodes the query, space as %20, sorted by name then value", () => {
    expect(canonicalQueryString("b=2&a=%7E&a=1&c")).toBe("a=1&a=~&b=2&c=");
    expect(canonicalQueryString("x=a%20b&y=a+b")).toBe("x=a%20b&y=a%2Bb");
  });

  it("reads the time from X-Amz-Date, else from Date", () => {
    expect(requestDateTime({ headers: [["Date", "Mon, 09 Sep 2011 23:36:00 GMT"]] }).amzDate).toBe("20110909T233600Z");
    expect(() => requestDateTime({ headers: [["X-Amz-Date", "2015-08-30T12:36:00Z"]] })).toThrow(
      /ISO 8601 basic format/,
    );
    expect(() => requestDateTime({ headers: [] })).toThrow(/either a 'X-Amz-Date' or a 'Date' header/);
  });
});

describe("Authorization header", () => {
  const ok = `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"a".repeat(64)}`;

  it("parses the three parts", () => {
    expect(parseAuthorization(ok)).toEqual({
      accessKeyId: "AKIDEXAMPLE",
      scopeDate: "20150830",
      region: "us-east-1",
      service: "sts",
      terminator: "aws4_request",
      signedHeaders: ["host", "x-amz-date"],
      signature: "a".repeat(64),
    });
  });

  it.each([
    ["AWS4-HMAC-SHA256", /requires 'Credential' parameter/],
    [
      "Bearer abc",
      /requires 'Credential' parameter\. Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\./,
    ],
    [
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, SignedHeaders=host",
      /requires 'Signature' parameter/,
    ],
    ["AWS4-HMAC-SHA512 Credential=x", /Unsupported AWS 'algorithm'/],
    [`${ok}, Signature=${"b".repeat(64)}`, /repeats the 'Signature' parameter/],
    [
      "AWS4-HMAC-SHA256 Credential=AKID /20150830/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=ab",
      /not a valid key=value pair/,
    ],
    [
      ok.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=x-amz-date"),
      /'Host' or ':authority' must be a 'SignedHeader'/,
    ],
    [ok.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=x-amz-date;host"), /sorted/],
    [ok.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=Host;x-amz-date"), /lowercase/],
    [ok.replace("AKIDEXAMPLE/20150830/", "AKIDEXAMPLE/"), /Credential of the Authorization header must be/],
  ])("refuses %s with IncompleteSignature", (header, message) => {
    expect(() => parseAuthorization(header)).toThrow(message);
    try {
      parseAuthorization(header);
    } catch (err) {
      expect((err as { code: string; status: number }).code).toBe("IncompleteSignature");
      expect((err as { status: number }).status).toBe(400);
    }
  });
});
