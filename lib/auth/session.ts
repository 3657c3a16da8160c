/** What Jetway knows about a signed-in person on each request (lib/auth/session-store.ts). */
export interface JetwaySession {
  /** The session record's id (SHA-256 of the cookie's token; the token itself is never stored). */
  id: string;
  user: {
    id: string;
    nameId: string;
    email?: string;
    name?: string;
    /** The IdP groups asserted at this sign-in. Mappings and admin rules that read them are live. */
    groups: string[];
    /** Session tags for AWS (PrincipalTag), captured at sign-in. */
    tags: { key: string; value: string }[];
    transitiveTagKeys: string[];
  };
  idp: { id: string; name: string };
  issuedAt: string;
  /** ISO time: the shorter of JETWAY_SESSION_MAX_AGE and the IdP's SessionNotOnOrAfter. */
  expiresAt: string;
}

/** The session cookie: a 256-bit random token. `__Host-` on https (Secure, Path=/, no Domain). */
export function sessionCookieName(secure: boolean): string {
  return secure ? "__Host-jetway-session" : "jetway-session";
}
