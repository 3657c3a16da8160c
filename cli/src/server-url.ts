import { usageError } from "./errors";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Jetway's public URL as the user typed it, checked and made canonical (no trailing slash), so that
 * one deployment always maps to the same sign-in, cache and config block. Plain http is accepted
 * for loopback only: the token and the AWS credentials must not cross a network in clear text.
 */
export function normalizeServerUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw usageError(`"${input}" is not a URL: give Jetway's address, e.g. --url https://jetway.example.com.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw usageError(`"${input}" is not an http(s) URL: give Jetway's address, e.g. --url https://jetway.example.com.`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw usageError(`"${input}" must be Jetway's address alone, without a user, query or fragment.`);
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === "http:" && !loopback) {
    throw usageError(
      `"${input}" uses plain http: Jetway's CLI talks to https:// URLs only (http:// is for localhost).`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
