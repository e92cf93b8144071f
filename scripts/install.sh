#!/usr/bin/env bash
# Installs what MBO needs to run from a checkout: npm packages (when missing or stale) and the generated
# Prisma client. Both quick-start commands call it, so a fresh clone needs nothing else but Node 20 and Go (the
# Temporal CLI is built by `mbo up` itself, with its progress shown, when it is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "mbo: installing npm packages..." >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f db/generated/client.ts ] || [ prisma/schema.prisma -nt db/generated/client.ts ]; then
  echo "mbo: generating the Prisma client..." >&2
  bash scripts/prisma.sh generate >/dev/null
fi
