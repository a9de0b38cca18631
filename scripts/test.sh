#!/usr/bin/env bash
# The README's test command (`npm test`) does its own set-up, so that "npm install && npm test" is
# really all a fresh Debian machine needs, and CI (.ci/run) proves it by running the same command.
# The browser tests drive Debian's chromium: when it is missing, this installs it with apt-get if it
# may (root), and otherwise says exactly what is missing and stops with a non-zero status rather
# than letting the browser tests fail one by one. Then it builds the dashboard and runs vitest.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test: $CHROMIUM is missing; installing Debian's chromium with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends chromium fonts-dejavu-core
  else
    echo "test: the browser tests need Debian's chromium at $CHROMIUM, which is missing." >&2
    echo "test: install it as root with: apt-get install -y --no-install-recommends chromium fonts-dejavu-core" >&2
    echo "test: (or point CHROMIUM_PATH at a chromium binary), then run npm test again." >&2
    exit 1
  fi
fi

if [ ! -d node_modules ]; then
  echo "test: node_modules is missing; run npm install first." >&2
  exit 1
fi

npm run build
exec npx vitest run "$@"
