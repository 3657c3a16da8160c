#!/usr/bin/env bash
# Runs a command on the Node.js Jetway supports (scripts/node-env.sh): the system's when it is 22.14
# or newer, else Node 24 installed from the npm registry into .node/. package.json's scripts go
# through it, so `npm start`, `npm run dev`, `npm run build`... work on a machine whose Node is older.
#   bash scripts/with-node.sh next start -p 3000
set -euo pipefail
# shellcheck source=scripts/node-env.sh
source "$(dirname "$0")/node-env.sh"
jetway_use_node
jetway_check_native_modules
exec "$@"
