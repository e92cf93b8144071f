#!/usr/bin/env bash
# Quick start, command 1: install what is missing, then bring up the whole product (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
node --import tsx web/server/ensure-build.ts # the web app (web/build), when missing or stale
exec node cli/bin.mjs up "$@"
