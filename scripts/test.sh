#!/usr/bin/env bash
# Quick start, command 2: every check and every test — typecheck, lint, unit tests, then end-to-end tests on a
# real Temporal dev server and real Postgres (DATABASE_URL's server when set, else the embedded one).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash temporal/install.sh
echo "== typecheck" && npx tsc --noEmit
echo "== lint" && npx eslint . && npx prettier --check . --log-level warn
if docker compose version >/dev/null 2>&1; then echo "== docker compose config" && docker compose config -q
elif command -v docker-compose >/dev/null 2>&1; then echo "== docker-compose config" && docker-compose config -q
fi
echo "== tests" && npx vitest run "$@"
