#!/usr/bin/env bash
# Stops what scripts/start-all.sh started: the PM2 processes (API, worker(s), MCP servers; PM2's daemon too), then the
# embedded Postgres and the Temporal dev server (`mbo down`; configured services are left alone). Data is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
export MBO_HOME="${MBO_HOME:-$PWD/.mbo}"
export PM2_HOME="${PM2_HOME:-$MBO_HOME/pm2}"
if [ -d "$PM2_HOME" ]; then
  npx pm2 delete ecosystem.config.cjs >/dev/null 2>&1 || true
  npx pm2 kill >/dev/null 2>&1 || true
  echo "PM2: processes stopped"
fi
node cli/bin.mjs down
