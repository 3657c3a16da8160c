import { AppError } from "@/lib/errors";

function tooLarge(maxBytes: number): AppError {
  return new AppError("saml.too_large", {
    status: 413,
    message: `request body exceeds ${maxBytes} bytes`,
    userMessage: "The sign-in response is larger than Jetway accepts.",
  });
}

/**
 * Reads an application/x-www-form-urlencoded body, refusing it before parsing when it is
 * larger than maxBytes (checked on Content-Length and again while streaming).
 */
export async function readFormBody(request: Request, maxBytes: number): Promise<URLSearchParams> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    throw new AppError("http.unsupported_media_type", {
      status: 415,
      message: `unexpected content-type ${JSON.stringify(type)}`,
      userMessage: "The sign-in response must be sent as an HTML form post.",
    });
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new URLSearchParams();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}
