#!/usr/bin/env bash
# Quick start, command 1: install what is missing, then bring up the whole product (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec node cli/bin.mjs up "$@"
