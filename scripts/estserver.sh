#!/usr/bin/env bash
# Runs the estserver command line, e.g.
#   ./scripts/estserver.sh profiles check config/profiles
#   ./scripts/estserver.sh profiles check --csr device.csr --label gateway
#   ./scripts/estserver.sh certs list --expiring-within 30d
#   ./scripts/estserver.sh devices block --cert idevid.pem --reason stolen
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/build.sh
build_server
exec dotnet "$SERVER_DLL" "$@"
