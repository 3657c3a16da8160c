import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/auth-options";

// next-auth serves the session, CSRF token and sign-out; sign-in happens at the SAML ACS.
async function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(getAuthOptions())(request, context);
}

export { handler as GET, handler as POST };
