#!/usr/bin/env bash
# Runs the EST server. Extra arguments go to the server, e.g.
#   ./scripts/run.sh --urls https://0.0.0.0:8443
#   EST_DATA_DIR=/var/lib/estserver ./scripts/run.sh
# With no CA configured, a development PKI is created under $EST_DATA_DIR (default ./data) on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/build.sh
build_server
exec dotnet "$SERVER_DLL" "$@"
