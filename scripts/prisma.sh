#!/usr/bin/env bash
# Runs the Prisma CLI offline. `prisma generate` reads env("DATABASE_URL") from the schema even though it never
# connects, so a placeholder is supplied when none is set. Migrations get the owner role's URL from `mbo`
# (db/migrate.ts); by hand, `MBO_DATABASE_OWNER_URL=… npm run db:migrate` (prisma.config.ts prefers it).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgresql://placeholder@127.0.0.1:1/placeholder}"
export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
exec node node_modules/prisma/build/index.js "$@"
