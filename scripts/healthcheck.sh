#!/usr/bin/env bash
# Checks every component of a running MBO — database, Temporal, a polling worker, the API (live and ready), the web
# app, each MCP server — one line each; exits non-zero naming the failing components.
# usage: bash scripts/healthcheck.sh [--wait <seconds>] [--json]
set -euo pipefail
cd "$(dirname "$0")/.."
exec node --import tsx stack/healthcheck.ts "$@"
