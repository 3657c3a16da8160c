#!/usr/bin/env bash
# The whole test suite (`npm test`): system packages, npm ci, Prisma client, typecheck, unit tests,
# production build, end-to-end tests. Runs unattended on a fresh Debian/Ubuntu machine with Node 20 or
# newer (CI=true, no stdin): an older system Node is replaced by Node 24 from the npm registry
# (scripts/node-env.sh). Setup failures stop at once; the checks all run, so that one report shows
# every failure; the build failing skips the e2e tests (they need it). Exit code non-zero if
# anything failed. Ends with a summary including `tests: N passed, M failed[, K skipped]`.
set -euo pipefail
cd "$(dirname "$0")/.."

export NEXT_TELEMETRY_DISABLED=1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
REPORTS_DIR=".e2e/reports"
VITEST_REPORT="$REPORTS_DIR/vitest.json"
PLAYWRIGHT_REPORT="$REPORTS_DIR/playwright.json"

suite_started=$(date +%s)
summary=()
failed=0

# run_step NAME COMMAND...: runs, times and records a step; never exits.
run_step() {
  local name="$1"; shift
  local started status
  started=$(date +%s)
  echo
  echo "==> $name: $*"
  if "$@"; then status="ok"; else status="FAILED (exit $?)"; failed=1; fi
  summary+=("$(printf '%-12s %-18s %4ss' "$name" "$status" "$(( $(date +%s) - started ))")")
  [[ "$status" == ok ]]
}

# setup_step NAME COMMAND...: like run_step, but the suite cannot go on without it.
setup_step() {
  run_step "$@" || { print_summary; exit 1; }
}

needs_npm_ci() {
  [[ ! -d node_modules ]] && return 0
  [[ ! -f node_modules/.package-lock.json ]] && return 0
  [[ package-lock.json -nt node_modules/.package-lock.json ]]
}

# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
check_node() {
  jetway_use_node || return 1
  echo "node $(node -v), npm $(npm -v)"
}

print_summary() {
  echo
  echo "==================== summary ===================="
  local line
  for line in "${summary[@]}"; do echo "$line"; done
  node - "$VITEST_REPORT" "$PLAYWRIGHT_REPORT" <<'NODE'
const fs = require("node:fs");
const read = (file) => { try { return JSON.parse(fs.readFileSync(file, "utf8")); } catch { return null; } };
const [vitestFile, playwrightFile] = process.argv.slice(2);
let passed = 0, failed = 0, skipped = 0;
const notes = [];

const vitest = read(vitestFile);
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += vitest.numFailedTests ?? 0;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  // A test file that fails to load runs no test: count it as one failure so it is not lost.
  const brokenFiles = (vitest.testResults ?? []).filter(
    (file) => file.status === "failed" && !(file.assertionResults ?? []).some((t) => t.status === "failed"),
  ).length;
  failed += brokenFiles;
  notes.push(`unit: ${vitest.numPassedTests ?? 0} passed, ${vitest.numFailedTests ?? 0} failed` +
    (brokenFiles ? `, ${brokenFiles} file(s) failed to run` : ""));
} else {
  notes.push("unit: no report");
}

const playwright = read(playwrightFile);
if (playwright?.stats) {
  const s = playwright.stats;
  const errors = (playwright.errors ?? []).length; // e.g. a webServer that did not start
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += (s.unexpected ?? 0) + errors;
  skipped += s.skipped ?? 0;
  notes.push(`e2e: ${(s.expected ?? 0) + (s.flaky ?? 0)} passed, ${s.unexpected ?? 0} failed` +
    (s.flaky ? `, ${s.flaky} flaky (passed on retry)` : "") + (errors ? `, ${errors} run error(s)` : ""));
  const flaky = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === "flaky") flaky.push([...titles, spec.title].filter(Boolean).join(" › "));
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const suite of playwright.suites ?? []) walk(suite, [suite.title]);
  for (const title of flaky) notes.push(`  flaky: ${title}`);
} else {
  notes.push("e2e: no report");
}

for (const note of notes) console.log(note);
console.log(`tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
NODE
  echo "time: $(( $(date +%s) - suite_started ))s"
  if (( failed )); then echo "result: FAILED"; else echo "result: ok"; fi
}

mkdir -p "$REPORTS_DIR"
rm -f "$VITEST_REPORT" "$PLAYWRIGHT_REPORT"

# Not a subshell: the Node it picks must stay on PATH for every later step.
check_node || { summary+=("node         FAILED"); print_summary; exit 1; }
summary+=("$(printf '%-12s %-18s' node "ok ($(node -v))")")
setup_step system bash scripts/ensure-system-deps.sh
CHROMIUM_PATH="$(bash scripts/ensure-system-deps.sh --chromium-path)"
export CHROMIUM_PATH

if needs_npm_ci; then
  setup_step npm-ci npm ci --no-audit --no-fund
else
  summary+=("$(printf '%-12s %-18s' npm-ci 'skipped (up to date)')")
  setup_step native jetway_check_native_modules
fi

# The generated Prisma client is not committed (lib/db/generated/); the typecheck, the unit tests
# and the build all import it.
setup_step prisma npm run --silent db:generate

run_step typecheck npx tsc --noEmit || true
run_step lint npm run --silent lint || true
run_step format npm run --silent format:check || true
run_step unit npm run --silent test:unit -- --reporter=default --reporter=json --outputFile.json="$VITEST_REPORT" || true
if run_step build npm run build; then
  run_step e2e npm run --silent test:e2e || true
else
  summary+=("$(printf '%-12s %-18s' e2e 'skipped (no build)')")
fi

print_summary
exit "$failed"
