#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3) from the npm registry into .ci/cache/code-server, outside the
# project's dependencies, as shared/guide/VSCODE.md describes. Skips when it already answers --version.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PREFIX="$ROOT/.ci/cache/code-server"
BIN="$PREFIX/node_modules/.bin/code-server"
VERSION=4.100.3

if [ -x "$BIN" ] && XDG_CONFIG_HOME="$PREFIX/xdg" "$BIN" --version 2>/dev/null | grep -q "^$VERSION"; then
  echo "code-server $VERSION already installed in $PREFIX"
  exit 0
fi

# System packages: the browser that drives it, ripgrep (search), Kerberos headers (a native module).
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

mkdir -p "$PREFIX"
export TMPDIR="$PREFIX/tmp"
mkdir -p "$TMPDIR/vscode-ripgrep-cache-1.15.11"
# @vscode/ripgrep's postinstall downloads rg unless its cache already holds the archive: give it Debian's rg.
tar czf "$TMPDIR/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
# node-gyp: local headers, build native modules here, let npx run node-gyp without asking.
export npm_config_nodedir=/usr npm_config_build_from_source=true npm_config_yes=true
[ -f "$PREFIX/package.json" ] || echo '{ "name": "outlier-lens-code-server", "private": true }' > "$PREFIX/package.json"
cd "$PREFIX"
npm install --unsafe-perm --no-audit --no-fund "code-server@$VERSION"
XDG_CONFIG_HOME="$PREFIX/xdg" "$BIN" --version
