#!/usr/bin/env bash
# System packages the test suite needs beyond Node: Chromium (Playwright drives the distribution's
# browser; its own download is unreachable), PHP + SimpleSAMLphp (the e2e IdP), xmlsec1 and
# openssl (independent XML signature checks, test keys), PostgreSQL server binaries (database tests),
# Debian's AWS CLI v2 (the CLI tests run `aws sts get-caller-identity` through jetway's
# credential_process profiles; always as /usr/bin/aws, since an `aws` earlier on PATH may be the
# old v1 of a Python install), and a C++ toolchain for npm ci's native build of better-sqlite3.
#
# Installs what is missing with apt-get when running as root or with passwordless sudo; otherwise
# prints the command to run and exits 1. Never prompts (CI has no stdin).
#
#   scripts/ensure-system-deps.sh                 check, install if possible
#   scripts/ensure-system-deps.sh --demo          the same for `npm run demo` only: PHP + SimpleSAMLphp
#                                                 and openssl (plus the C++ toolchain when npm ci has
#                                                 to run); no Chromium, xmlsec1, PostgreSQL or AWS CLI
#   scripts/ensure-system-deps.sh --chromium-path print the Chromium binary the tests will use
set -euo pipefail

mode=test
[[ "${1:-}" == "--demo" ]] && mode=demo

SIMPLESAMLPHP_WWW="${SIMPLESAMLPHP_WWW:-/usr/share/simplesamlphp/www}"
ROOT_DIR="$(cd "$(dirname "$0")/.." && pwd)"

have() { command -v "$1" >/dev/null 2>&1; }

AWS_CLI=/usr/bin/aws
aws_cli_v2() { [[ -x "$AWS_CLI" ]] && [[ "$("$AWS_CLI" --version 2>&1)" == aws-cli/2.* ]]; }

find_chromium() {
  if [[ -n "${CHROMIUM_PATH:-}" && -x "${CHROMIUM_PATH}" ]]; then echo "$CHROMIUM_PATH"; return 0; fi
  local candidate
  for candidate in /usr/bin/chromium chromium chromium-browser google-chrome-stable google-chrome; do
    if [[ "$candidate" == /* ]]; then
      [[ -x "$candidate" ]] && { echo "$candidate"; return 0; }
    elif have "$candidate"; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

if [[ "${1:-}" == "--chromium-path" ]]; then
  find_chromium || { echo "chromium not found" >&2; exit 1; }
  exit 0
fi

# Chromium's package is `chromium` on Debian; Ubuntu names it chromium-browser (a snap shim,
# which does not run in most containers: prefer a Debian image or set CHROMIUM_PATH).
chromium_package() {
  if have apt-cache && ! apt-cache show chromium >/dev/null 2>&1 && apt-cache show chromium-browser >/dev/null 2>&1; then
    echo chromium-browser
  else
    echo chromium
  fi
}

# npm ci builds better-sqlite3 from source; the demo needs the toolchain only if that is still to do.
needs_native_build() {
  [[ "$mode" == test ]] || [[ ! -f "$ROOT_DIR/node_modules/better-sqlite3/build/Release/better_sqlite3.node" ]]
}

missing_packages() {
  local missing=()
  [[ "$mode" == demo ]] || find_chromium >/dev/null || missing+=("$(chromium_package)")
  if have php; then
    local modules
    modules="$(php -m 2>/dev/null | tr '[:upper:]' '[:lower:]')"
    grep -qx dom <<<"$modules" && grep -qx xml <<<"$modules" || missing+=(php-xml)
    grep -qx mbstring <<<"$modules" || missing+=(php-mbstring)
    grep -qx curl <<<"$modules" || missing+=(php-curl)
  else
    missing+=(php-cli php-xml php-mbstring php-curl)
  fi
  [[ -f "$SIMPLESAMLPHP_WWW/saml2/idp/SSOService.php" ]] || missing+=(simplesamlphp)
  [[ "$mode" == demo ]] || have xmlsec1 || missing+=(xmlsec1)
  # The AWS CLI v2 of Debian's awscli package, by its path (not `command -v aws`: see above).
  [[ "$mode" == demo ]] || aws_cli_v2 || missing+=(awscli)
  # npm ci builds better-sqlite3 with node-gyp when its prebuilt binary cannot be downloaded.
  if needs_native_build; then
    have python3 || missing+=(python3)
    have make || missing+=(make)
    have g++ || missing+=(g++)
  fi
  have openssl || missing+=(openssl)
  # test/support/postgres.ts starts a throwaway cluster from these binaries unless
  # JETWAY_TEST_PG_URL names a server (a CI service, for instance).
  if [[ "$mode" == test && -z "${JETWAY_TEST_PG_URL:-}" ]] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    missing+=(postgresql)
  fi
  echo "${missing[*]:-}"
}

report_ok() {
  if [[ "$mode" == demo ]]; then echo "system packages: $1"; else echo "system packages: $1 (chromium at $(find_chromium), $("$AWS_CLI" --version 2>&1 | cut -d' ' -f1) at $AWS_CLI)"; fi
}

missing="$(missing_packages)"
if [[ -z "$missing" ]]; then
  report_ok ok
  exit 0
fi

install_command="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $missing"
echo "system packages missing: $missing"

if ! have apt-get; then
  echo "No apt-get on this machine: install the equivalents of these Debian packages: $missing" >&2
  exit 1
fi

if [[ "$(id -u)" == 0 ]]; then
  echo "+ $install_command"
  bash -c "$install_command"
elif have sudo && sudo -n true 2>/dev/null; then
  echo "+ sudo -n bash -c '$install_command'"
  sudo -n bash -c "$install_command"
else
  echo "Not root and no passwordless sudo. Run this as root, then run npm $([[ "$mode" == demo ]] && echo "run demo" || echo test) again:" >&2
  echo "  $install_command" >&2
  exit 1
fi

still_missing="$(missing_packages)"
if [[ -n "$still_missing" ]]; then
  echo "still missing after apt-get: $still_missing" >&2
  exit 1
fi
report_ok installed
