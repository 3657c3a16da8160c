/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The AWS sandbox and the e2e IdP live outside the app and never enter the build.
  outputFileTracingExcludes: { "*": ["sandbox/**", "e2e/**", "tools/**"] },
  // forbidden()/unauthorized(): admin pages and server actions answer 403/401 (lib/admin/require-admin.ts).
  // preloadEntriesOnStart: false: each server process loads a route's code when the route is first
  // asked for, not every page and route at start (issue 12: memory).
  experimental: { authInterrupts: true, preloadEntriesOnStart: false },
};

module.exports = nextConfig;
