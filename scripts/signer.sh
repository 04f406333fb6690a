#!/usr/bin/env bash
# Runs a signer worker: it takes signing jobs from Redis and alone holds the CA key. Same conventions
# as run.sh (EST_DATA_DIR, config/estserver.json, Est__Name=value); Est__Redis is required, e.g.
#   Est__Redis=127.0.0.1:6379 ./scripts/signer.sh
# Run as many as you like, on any machines that share the Redis and the queue secret.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/build.sh
build_server
exec dotnet "$SERVER_DLL" signer "$@"
