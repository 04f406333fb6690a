#!/usr/bin/env bash
# Soak: the bad-input (hostile client) campaign against a real server process, for as long as you like.
#
#   ./scripts/soak.sh                  10 minutes
#   ./scripts/soak.sh 60               an hour
#   Est__Redis=127.0.0.1:6379 ./scripts/soak.sh 30
#                                      Redis mode: the host queues to Redis and one signer worker signs
#
# Builds (Release), starts the server with the repository's config (config/estserver.json and the
# shipped profiles) on a temp data directory with a fresh development PKI, mints two device identities
# (the hostile client and a legitimate device that keeps enrolling meanwhile), and runs
# `estserver-loadtest --mode hostile` for the given minutes: seeded malformed and hostile requests,
# 16 at a time, each checked against the answer it must get. Rate limits are turned off (the campaign
# would otherwise be mostly 429s; the E2E tests cover the limiter). Prints the CAMPAIGN line, the counts
# per status and per category, and exits non-zero on any 5xx, hang, unexpected answer, legitimate
# failure, or a server process that died. Report and server log are kept in artifacts/soak-<time>/.
#
# Environment: SOAK_SEED (default: random, printed; the same seed replays the same cases),
# SOAK_CONCURRENCY (16), Est__Redis (Redis mode), Est__Queue__KeyPrefix (default soak-<seed>, so a
# shared Redis keeps this run's duplicate-key claims apart).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/build.sh
source scripts/lib/ports.sh
source scripts/lib/server.sh
repo=$(pwd)

minutes=${1:-10}
if ! [[ $minutes =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "usage: $0 [minutes]" >&2
  exit 2
fi
seconds=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')
seed=${SOAK_SEED:-$((RANDOM * 32768 + RANDOM))}
concurrency=${SOAK_CONCURRENCY:-16}

echo "building (Release)..." >&2
build_server
build_loadtest
server="$repo/$SERVER_DLL"
loadtest="$repo/$LOADTEST_DLL"

work=$(mktemp -d)
artifacts="$repo/artifacts/soak-$(date -u +%Y%m%dT%H%M%SZ)"
trap 'stop_started; rm -rf "$work"' EXIT

# The development PKI and two device identities: soak-0001 (hostile client), soak-0002 (legitimate device).
EST_DATA_DIR="$work/data" dotnet "$server" dev-device soak --count 2 >/dev/null || { echo "could not mint device identities" >&2; exit 1; }
pki="$work/data/dev-pki"

settings=(
  Est__RateLimits__PerClientCertificatePerMinute=0 Est__RateLimits__PerAddressPerMinute=0 Est__RateLimits__ReenrollPerCertificatePerHour=0
  # Every refusal is a warning in the log; keep the errors (an unhandled exception is one).
  Logging__LogLevel__Default=Error
)
mode="embedded signer"
if [[ -n ${Est__Redis:-} ]]; then
  export Est__Queue__KeyPrefix=${Est__Queue__KeyPrefix:-soak-$seed}
  mode="Redis $Est__Redis (prefix $Est__Queue__KeyPrefix), one signer worker"
  start_signer "$work/data" "$repo/config" "$work/signer.log" "${settings[@]}"
fi

port=$(free_port)
start_server "$work/data" "$repo/config" "$port" "$work/server.log" "${settings[@]}" || exit 1

echo "soak: ${minutes} min against https://127.0.0.1:$port ($mode), seed $seed, concurrency $concurrency" >&2
dotnet "$loadtest" --mode hostile --url "https://127.0.0.1:$port" --trust-anchor "$pki/trust-anchor.pem" \
  --devices "$pki/devices" --manufacturer-ca "$pki/manufacturer-ca.pem" --manufacturer-key "$pki/manufacturer-ca.key" \
  --corpus "$repo/test/corpus/hostile" --duration "$seconds" --seed "$seed" --concurrency "$concurrency" \
  --report "$work/report.txt"
status=$?

if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "SERVER PROCESS DIED during the soak (a crash):" >&2
  tail -30 "$work/server.log" >&2
  status=1
fi
unhandled=$(grep -ac "Unhandled exception" "$work/server.log" || true)
echo "server log: ${unhandled:-0} unhandled exception(s) (each one a 500 or a dropped connection)"

mkdir -p "$artifacts"
cp "$work/server.log" "$artifacts/" 2>/dev/null || true
cp "$work/report.txt" "$artifacts/" 2>/dev/null || true
[[ -f $work/signer.log ]] && cp "$work/signer.log" "$artifacts/"
echo "report and server log: $artifacts" >&2
exit $status
