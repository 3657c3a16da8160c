# shellcheck shell=bash
# Sourced by every script that runs Jetway or its tests (scripts/with-node.sh, test.sh, demo.sh).
# Puts a Node.js that Jetway supports (22.14 or newer, the first 22 with the Node-API 10 that
# better-sqlite3 13 needs; developed and tested on 24 LTS) first on PATH:
#   - the system's `node` when it is new enough (nothing is installed, nothing is said);
#   - otherwise Node 24 from the npm registry's node-linux-<arch> package, installed once into
#     .node/ (ignored by git). The package ships the binary and the headers node-gyp needs, so
#     npm_config_nodedir points native builds (better-sqlite3) at it. One line of output says so.
# JETWAY_NODE=24 accepts only a Node 24 (the system's or .node/'s): .ci/run sets it, so CI tests on 24.
#
# Then jetway_check_native_modules rebuilds native modules built by another Node (an `npm ci` run
# with the system Node 20, say): a NODE_MODULE_VERSION mismatch is fixed here, never a crash at start.

JETWAY_BUNDLED_NODE_VERSION="24.22.3"
JETWAY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

jetway_node_supported() {
  JETWAY_NODE="${JETWAY_NODE:-}" node -e 'const [major, minor] = process.versions.node.split(".").map(Number);
    const wanted = process.env.JETWAY_NODE;
    process.exit((wanted ? major === Number(wanted) : major > 22 || (major === 22 && minor >= 14)) ? 0 : 1)' >/dev/null 2>&1
}

jetway_use_node() {
  jetway_node_supported && return 0
  local arch package dir system
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "no Node ${JETWAY_BUNDLED_NODE_VERSION} package for $(uname -m): install Node.js 24 yourself" >&2; return 1 ;;
  esac
  package="node-linux-${arch}"
  dir="$JETWAY_ROOT/.node/node_modules/$package"
  system="$(node -v 2>/dev/null || echo "no system Node")"
  if [[ ! -x "$dir/bin/node" || "$("$dir/bin/node" -v 2>/dev/null)" != "v$JETWAY_BUNDLED_NODE_VERSION" ]]; then
    command -v npm >/dev/null 2>&1 || { echo "npm is not installed: install Node.js (20 or newer) and npm" >&2; return 1; }
    echo "[node] installing Node $JETWAY_BUNDLED_NODE_VERSION from the npm registry ($package) into .node/ (once)"
    npm install --prefix "$JETWAY_ROOT/.node" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "$package@$JETWAY_BUNDLED_NODE_VERSION" >&2 || return 1
  fi
  export PATH="$dir/bin:$PATH"
  export npm_config_nodedir="$dir"
  echo "[node] using Node $("$dir/bin/node" -v) from .node/ (system: $system); see README, \"Node.js\""
}

# Rebuilds native modules when node_modules was built by another Node (ABI mismatch, or a module
# that crashes on load): probed in a child process, so even a segfault is caught here.
jetway_native_modules_load() {
  (cd "$JETWAY_ROOT" && node -e 'new (require("better-sqlite3"))(":memory:").close()') >/dev/null 2>&1
}
jetway_check_native_modules() {
  [[ -d "$JETWAY_ROOT/node_modules/better-sqlite3" ]] || return 0
  jetway_native_modules_load && return 0
  echo "[node] node_modules was built by another Node: rebuilding native modules for $(node -v)"
  (cd "$JETWAY_ROOT" && npm rebuild --no-audit --no-fund better-sqlite3) >&2 || return 1
  jetway_native_modules_load || { echo "[node] better-sqlite3 still fails to load: run npm ci" >&2; return 1; }
}
