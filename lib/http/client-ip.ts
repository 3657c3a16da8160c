/**
 * The client's address as the nearest trusted reverse proxy saw it: the entry `trustedProxyHops`
 * from the right of X-Forwarded-For. Proxies append the address they received the request from,
 * so entries further left were written by the client itself and prove nothing (anyone can send
 * `X-Forwarded-For: 1.2.3.4`). Next.js fills X-Forwarded-For with the socket address only when
 * the request has none, so Jetway must sit behind a proxy that appends (or replaces) the header:
 * exposed directly, the client chooses the value. Undefined when there is no usable entry.
 */
export function clientIp(headers: Headers, trustedProxyHops: number): string | undefined {
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const hops = Math.max(1, Math.floor(trustedProxyHops));
  const entry = entries.length >= hops ? entries[entries.length - hops] : entries[0];
  return entry ? normalizeIp(entry) : undefined;
}

/** Bounded and canonical enough to be a rate-limit key: "::ffff:127.0.0.1" and "127.0.0.1" are one client. */
function normalizeIp(value: string): string | undefined {
  const v = value
    .replace(/^\[|\](:\d+)?$/g, "") // [v6]:port
    .replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, "$1") // v4:port (some proxies add the source port)
    .replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1")
    .toLowerCase();
  // An address is at most 45 characters (IPv6 with an embedded IPv4); anything else is not one.
  if (v.length > 45 || !/^[0-9a-f.:]+$/.test(v)) return undefined;
  return v;
}
