/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The AWS sandbox and the e2e IdP live outside the app and never enter the build.
  outputFileTracingExcludes: { "*": ["sandbox/**", "e2e/**", "tools/**"] },
  // forbidden()/unauthorized(): admin pages and server actions answer 403/401 (lib/admin/require-admin.ts).
  experimental: { authInterrupts: true },
};

module.exports = nextConfig;
