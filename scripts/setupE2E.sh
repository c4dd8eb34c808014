#!/usr/bin/env bash
# Installs what the end-to-end tests need (see ../shared/e2e-recipe.md): Debian's Chromium, the
# kerberos headers one of code-server's native modules builds against, ripgrep (seeded into
# @vscode/ripgrep's download cache so its postinstall never reaches GitHub), and code-server 4.100.3 +
# playwright-core under .vscode-test/code-server. Idempotent: every step is skipped when already done.
# Usage: bash scripts/setupE2E.sh      (from anywhere; needs root for apt-get)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cs_dir="$root/.vscode-test/code-server"
cs_version="4.100.3"

need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "setupE2E: apt-get install ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${need_apt[@]}"
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub; hand it Debian's rg from its cache instead.
tmp="$(node -p 'require("os").tmpdir()')"
rg_cache="$tmp/vscode-ripgrep-cache-1.15.11"
rg_tar="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$rg_tar" ]; then
  seed="$(mktemp -d)"
  mkdir -p "$rg_cache"
  cp "$(command -v rg)" "$seed/rg"
  tar czf "$rg_tar" -C "$seed" rg
  rm -rf "$seed"
fi

installed_version=""
if [ -f "$cs_dir/node_modules/code-server/package.json" ]; then
  installed_version="$(node -p "require('$cs_dir/node_modules/code-server/package.json').version")"
fi
if [ "$installed_version" != "$cs_version" ] || [ ! -x "$cs_dir/node_modules/.bin/code-server" ]; then
  echo "setupE2E: installing code-server@$cs_version into $cs_dir"
  mkdir -p "$cs_dir"
  cd "$cs_dir"
  [ -f package.json ] || npm init -y >/dev/null
  # npx inside node-pty's postinstall needs the yes.
  npm_config_yes=true npm install --unsafe-perm --no-audit --no-fund "code-server@$cs_version"
fi
if [ ! -f "$cs_dir/node_modules/playwright-core/package.json" ]; then
  echo "setupE2E: installing playwright-core into $cs_dir"
  cd "$cs_dir"
  # Drives Debian's /usr/bin/chromium; never downloads a browser.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund playwright-core
fi
echo "setupE2E: ready ($cs_dir)"
