#!/usr/bin/env bash
# Mints demo device identities (IDevIDs signed by the dev manufacturer CA) for tests and load runs:
#   ./scripts/dev-device.sh NAME               -> $EST_DATA_DIR/dev-pki/devices/NAME.pem + NAME.key
#   ./scripts/dev-device.sh NAME --count 100   -> NAME-0001 ... NAME-0100
# Creates the development PKI first if the server has not run yet.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/build.sh
build_server
exec dotnet "$SERVER_DLL" dev-device "$@"
