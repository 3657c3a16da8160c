import { expect, type APIResponse } from "@playwright/test";

/**
 * Jetway's refusal page (lib/http/error-page.ts): the status, an HTML page with the given
 * heading and a support reference, never a redirect.
 */
export async function expectErrorPage(response: APIResponse, status: number, title: string): Promise<string> {
  const html = await response.text();
  expect(response.status(), `body starts: ${html.slice(0, 300)}`).toBe(status);
  expect(response.headers()["location"]).toBeUndefined();
  expect(response.headers()["content-type"] ?? "").toContain("text/html");
  expect(html).toMatch(new RegExp(`<h1[^>]*>\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*</h1>`));
  const reference = /Reference:\s*(?:<[^>]+>\s*)*(JW-[A-Z0-9]{8})\b/.exec(html)?.[1];
  expect(reference, "no Reference on the error page").toBeTruthy();
  return reference ?? "";
}
