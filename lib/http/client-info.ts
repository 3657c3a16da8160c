import { getEnv } from "@/lib/env";
import { clientIp } from "./client-ip";

/**
 * Client address and user agent for audit rows. The address is the one the trusted reverse
 * proxies recorded (lib/http/client-ip.ts): what the client claims about itself further left in
 * X-Forwarded-For is not evidence.
 */
export function clientInfo(headers: Headers, trustedProxyHops?: number): { ip?: string; userAgent?: string } {
  const ip =
    clientIp(headers, trustedProxyHops ?? getEnv().JETWAY_TRUSTED_PROXY_HOPS) ?? headers.get("x-real-ip") ?? undefined;
  return { ip, userAgent: headers.get("user-agent") ?? undefined };
}
