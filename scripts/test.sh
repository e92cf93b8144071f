#!/usr/bin/env bash
# Quick start, command 2: every check and every test — typecheck, lint, unit tests, then end-to-end tests on a
# real Temporal dev server and real Postgres (DATABASE_URL's server when set, else the embedded one).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash temporal/install.sh
# One command a line: under `set -e` a failure inside an `a && b` list would not stop the script.
echo "== typecheck"
npx tsc --noEmit
echo "== lint"
npx eslint .
npx prettier --check . --log-level warn
# The compose file validated (its secrets have no defaults on purpose: placeholders stand in for the check).
compose_check() { POSTGRES_PASSWORD=check MBO_DB_OWNER_PASSWORD=check MBO_DB_APP_PASSWORD=check MBO_SECRET_KEY=check "$@" config -q; }
if docker compose version >/dev/null 2>&1; then echo "== docker compose config" && compose_check docker compose
elif command -v docker-compose >/dev/null 2>&1; then echo "== docker-compose config" && compose_check docker-compose
else echo "== docker compose config: skipped (neither docker compose nor docker-compose is installed)"
fi
echo "== tests" && npx vitest run "$@"
