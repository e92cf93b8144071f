#!/usr/bin/env bash
# Starts MBO under PM2 (ecosystem.config.cjs): first what PM2 does not run — the embedded Postgres and the Temporal
# dev server on the defaults (nothing when DATABASE_URL / TEMPORAL_ADDRESS point at running services), migrations,
# sandbox data, the local people and their keys — then the API (+ web), the worker(s) and the MCP servers under
# PM2, then waits until scripts/healthcheck.sh reports every component. PM2's state lives in MBO_HOME/pm2.
# usage: bash scripts/start-all.sh        (MBO_WORKERS=2 for two workers)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash temporal/install.sh
export MBO_HOME="${MBO_HOME:-$PWD/.mbo}"
export PM2_HOME="${PM2_HOME:-$MBO_HOME/pm2}"
node cli/bin.mjs up --no-worker --no-api --no-mcp --no-sync
npx pm2 startOrReload ecosystem.config.cjs --update-env
npx pm2 ls
bash scripts/healthcheck.sh --wait "${MBO_HEALTH_WAIT:-180}"
