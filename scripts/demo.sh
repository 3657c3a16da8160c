#!/usr/bin/env bash
# `npm run demo`: makes sure the machine can run the demo, then runs it (scripts/demo.ts).
#   1. Node 22.14+ (an older system Node is replaced by Node 24 from the npm registry: scripts/node-env.sh);
#   2. system packages for the demo only: PHP + SimpleSAMLphp, openssl (scripts/ensure-system-deps.sh --demo);
#   3. `npm ci` when node_modules is missing or older than package-lock.json; the Prisma client when missing;
#   4. `npm run build` (the jetway CLI, then next build) when .next is missing or older than the sources;
#   5. Jetway on http://127.0.0.1:3000 with a SimpleSAMLphp IdP (:8089) and the AWS sandbox (:4566).
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

export NEXT_TELEMETRY_DISABLED=1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

step() { echo "[demo] $*"; }

# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
jetway_use_node

bash scripts/ensure-system-deps.sh --demo

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  step "installing npm packages (npm ci; about 2 minutes the first time)"
  npm ci --no-audit --no-fund
else
  jetway_check_native_modules
fi
# The generated Prisma client is not committed; npm ci's postinstall makes it.
if [[ ! -d lib/db/generated ]]; then
  step "generating the Prisma client"
  npm run --silent db:generate-clients
fi

# What the production build is made of (tests excluded: they are not part of it).
build_is_stale() {
  [[ -f .next/BUILD_ID && -f server/dist/main.cjs ]] || return 0
  local newer
  newer="$(find app lib components prisma public cli/src server instrumentation.ts next.config.js postcss.config.mjs \
    tsconfig.json package.json package-lock.json \
    -newer .next/BUILD_ID -type f -not -name '*.test.ts' -not -path 'server/dist/*' \
    -print -quit 2>/dev/null || true)"
  [[ -n "$newer" ]] && { step "sources changed since the last build ($newer)"; return 0; }
  return 1
}
if build_is_stale; then
  step "building Jetway (the jetway CLI, then next build; about 30 seconds)"
  npm run build
fi

# One process: node with tsx's loader (no npx/tsx wrapper in between), so signals reach demo.ts.
exec node --import tsx scripts/demo.ts
