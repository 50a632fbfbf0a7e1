#!/usr/bin/env bash
# Installs the pinned command-line tools of deploy/tools (the OpenAPI linter, @redocly/cli) into
# deploy/tools/node_modules, exactly as package-lock.json records them. Idempotent: skips the install when
# node_modules already matches the lock file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v npm >/dev/null 2>&1; then
  echo "deploy/tools/install.sh: npm is missing; install Node.js 20.19+ or 22.12+ (e.g. apt-get install nodejs npm)" >&2
  exit 1
fi

# npm ci writes node_modules/.package-lock.json; when it equals the committed lock's packages, nothing changed.
if [[ -x node_modules/.bin/redocly && -f node_modules/.package-lock.json ]] \
  && node -e '
    const a = require("./package-lock.json").packages, b = require("./node_modules/.package-lock.json").packages;
    const strip = p => JSON.stringify(Object.fromEntries(Object.entries(p).filter(([k]) => k !== "")));
    process.exit(strip(a) === strip(b) ? 0 : 1);' 2>/dev/null; then
  exit 0
fi

npm ci --no-audit --no-fund --loglevel=error
