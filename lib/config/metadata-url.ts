/**
 * Where IdP metadata may be fetched from. The metadata carries the certificates Jetway trusts to
 * sign employees in, so it must come over TLS: over plain http anyone on the network path could
 * substitute a certificate of their own at the next refresh. Plain http is allowed only from this
 * machine (loopback), where there is no network path to tamper with.
 */

const LOOPBACK_HOSTS = new Set(["localhost", "[::1]"]);

function isLoopback(hostname: string): boolean {
  return (
    LOOPBACK_HOSTS.has(hostname) || hostname.endsWith(".localhost") || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/** https, or plain http to this machine (loopback) only: the rule for what Jetway fetches or sends over the network. */
export function isSafeTransportUrl(url: URL): boolean {
  return url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.hostname));
}

/** Why `raw` cannot serve as a metadata URL, as a sentence; null when it can. */
export function metadataUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter the https:// URL of the IdP's SAML metadata.";
  }
  if (url.username || url.password) return "Leave credentials out of the metadata URL.";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:") {
    return isLoopback(url.hostname)
      ? null
      : "Use an https:// URL: the metadata carries the certificates Jetway trusts, and over plain http anyone on the network path could replace them (http is accepted only from this machine: localhost, 127.0.0.1, [::1]).";
  }
  return "Only https:// URLs (http:// from this machine only).";
}
