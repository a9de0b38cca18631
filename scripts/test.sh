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

# The Spark engine's tests (test/spark/) start a standalone cluster from pyspark's own runtime:
# install it when missing (a pinned version, so pip skips it once satisfied), and a JDK when Java
# 17+ is missing and we may (root); otherwise say what is missing.
if ! java -version 2>&1 | grep -qE 'version "(1[7-9]|2[0-9])'; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless
  else
    echo "test: the Spark tests need Java 17+; install it as root with: apt-get install -y openjdk-17-jre-headless" >&2
    exit 1
  fi
fi
python3 -c 'import pyspark, sys; sys.exit(pyspark.__version__ != "4.0.1")' 2>/dev/null || python3 -m pip install --quiet "pyspark==4.0.1"
# The OpenAPI fuzz test (test/api/fuzz-openapi.test.ts) runs schemathesis: pinned the same way.
python3 -c 'import schemathesis, sys; sys.exit(schemathesis.__version__ != "4.32.5")' 2>/dev/null || python3 -m pip install --quiet "schemathesis==4.32.5"

npm run build
exec npx vitest run "$@"
