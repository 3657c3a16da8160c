/** Client address and user agent for audit rows. The first X-Forwarded-For hop is what the proxy saw. */
export function clientInfo(headers: Headers): { ip?: string; userAgent?: string } {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || headers.get("x-real-ip") || undefined;
  return { ip, userAgent: headers.get("user-agent") ?? undefined };
}
