#!/usr/bin/env bash
# Installs the pinned Temporal CLI (which contains the dev server and Temporal UI) into .tools/bin, built
# from Go modules. Reused when present. Not needed when TEMPORAL_ADDRESS points at a cluster or Temporal Cloud.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=v1.5.1
BIN_DIR="$PWD/.tools/bin"
STAMP="$PWD/.tools/temporal.version"
if [ -x "$BIN_DIR/temporal" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$VERSION" ]; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
mbo: the Temporal CLI $VERSION is not installed and Go is not on the PATH to build it.
  Either install Go 1.23+ (https://go.dev/dl) and run: bash temporal/install.sh
  or put an existing Temporal CLI binary on MBO_TEMPORAL_BIN=/path/to/temporal,
  or point TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE, TEMPORAL_API_KEY or TEMPORAL_TLS_*) at a running cluster.
MSG
  exit 1
fi
mkdir -p "$BIN_DIR"
# One build at a time (parallel test runs on a fresh machine would each compile it): wait for the other, then reuse.
exec 9>"$PWD/.tools/temporal.lock"
if ! flock -n 9; then
  echo "mbo: another process is building the Temporal CLI; waiting for it" >&2
  flock 9
fi
if [ -x "$BIN_DIR/temporal" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$VERSION" ]; then
  exit 0
fi
echo "mbo: building the Temporal CLI $VERSION with $(go version | cut -d' ' -f3) into $BIN_DIR (first run only: a few minutes, longer on a slow machine)" >&2
mkdir -p "$BIN_DIR"
# -v names each package as it is compiled: the caller counts them to show progress.
GOBIN="$BIN_DIR" GOFLAGS=-mod=mod go install -v "github.com/temporalio/cli/cmd/temporal@$VERSION"
echo "$VERSION" > "$STAMP"
echo "mbo: the Temporal CLI $VERSION is installed at $BIN_DIR/temporal" >&2
