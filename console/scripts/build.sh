#!/bin/sh
# The console's part of the Maven build: Node and npm from the machine, dependencies exactly as the
# lockfile says (npm ci), then types from openapi.yaml, the type check and the bundle.
set -eu
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "discs console: building discs needs Node.js 18 or later with npm (Debian: apt install nodejs npm)" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "discs console: Node.js $major is too old to build discs; 18 or later is needed" >&2
  exit 1
fi
# npm ci again only when the lockfile changed since node_modules was made.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
