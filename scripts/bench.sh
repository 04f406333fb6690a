#!/usr/bin/env bash
# Benchmarks EstServer on this machine: enrollments per second at the mutual-TLS handshake limit,
# the certificate store's cost (scripts/lib/bench_store.sh) and OCSP responses per second.
#
#   ./scripts/bench.sh --quick    about two minutes: every mode, short runs
#   ./scripts/bench.sh            the full run documented in the README
#
# Every mode is measured against its own baseline in the same run: the same load generator, over
# the same fresh mutual-TLS connections, asking GET /healthz instead of enrolling. The ratio
# enroll/handshake holds on a noisy machine where absolute numbers do not. The load generator runs on
# the same cores as the server (and Redis and the workers): the ratios, not the totals, are the point.
# Needs openssl (RSA test CA) and, for the Redis modes, redis-server (skipped with a note if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/build.sh
source scripts/lib/ports.sh
source scripts/lib/server.sh
source scripts/lib/bench_store.sh
repo=$(pwd)

quick=0
[[ ${1:-} == --quick ]] && quick=1
if ((quick)); then
  warmup=2 duration=3 concurrency=64 pool=6000 settle=4 bench_job=(--job short --inProcess --filter '*Issue_FullPath*')
else
  warmup=5 duration=15 concurrency=64 pool=24000 settle=15 bench_job=(--inProcess --filter '*')
fi
# Rate limits would throttle a load generator that is one address and 32 devices; they are off here.
export Est__RateLimits__PerClientCertificatePerMinute=0 Est__RateLimits__PerAddressPerMinute=0 Est__RateLimits__ReenrollPerCertificatePerHour=0
# Several signer workers may run on this machine: their metrics ports would collide.
export Est__Metrics__SignerPort=0
# Servers here come and go on free ports; the CRL/OCSP listener too (the OCSP run names its own).
export Est__Revocation__HttpUrl=http://127.0.0.1:0

echo "building (Release)..." >&2
build_server
build_loadtest
build_project test/EstServer.Benchmarks
server="$repo/$SERVER_DLL"
loadtest="$repo/$LOADTEST_DLL"
benchmarks="$repo/test/EstServer.Benchmarks/bin/Release/net10.0/EstServer.Benchmarks.dll"

work=$(mktemp -d)
trap 'stop_started; rm -rf "$work"' EXIT
results="$work/results"
: >"$results"

load() { # name mode port devices-dir [extra...]
  local name=$1 mode=$2 port=$3 devices=$4
  shift 4
  echo "  $name ($mode $*)" >&2
  dotnet "$loadtest" --url "https://127.0.0.1:$port" --trust-anchor "$work/ec/dev-pki/trust-anchor.pem" \
    --devices "$devices" --mode "$mode" --concurrency "$concurrency" --duration "$duration" --warmup "$warmup" \
    --csr-pool "$pool" --name "$name" "$@" | grep '^RESULT' | tee -a "$results" >&2 || true
}

# Fresh processes run tier-0 JIT code for many seconds (tiered compilation and PGO), and in Redis mode
# four processes warm up at once: every server set-up first takes unmeasured enrollments.
settle() { # port devices
  echo "  (settling: ${settle}s of unmeasured enrollments)" >&2
  dotnet "$loadtest" --url "https://127.0.0.1:$1" --trust-anchor "$work/ec/dev-pki/trust-anchor.pem" --devices "$2" \
    --mode enroll --concurrency "$concurrency" --duration "$settle" --warmup 0 --csr-pool "$pool" --name settle >/dev/null 2>&1 || true
}

# The development PKI and a fleet of device identities (IDevIDs) for the whole run.
EST_DATA_DIR="$work/ec" dotnet "$server" dev-device bench --count 32 >/dev/null
devices="$work/ec/dev-pki/devices"

echo "embedded signer, ECDSA P-256 issuing CA" >&2
port=$(free_port)
start_server "$work/ec" "$repo/config" "$port" "$work/server-$port.log"
settle "$port" "$devices"
load embedded baseline "$port" "$devices"
load embedded enroll "$port" "$devices"
load embedded-keepalive enroll "$port" "$devices" --keep-alive --concurrency 8 --csr-pool $((pool * 8))
# Re-enrollment is in the full run only: the quick run keeps to two minutes.
((quick)) || load embedded-reenroll reenroll "$port" "$devices"
# Latency at 80% of the peak just measured, open loop (requests start on a schedule; queueing counts).
peak=$(grep "name=embedded mode=enroll transport=new-connection " "$results" | sed -n 's/.* rps=\([0-9.]*\).*/\1/p' | head -1)
if [[ -n $peak ]]; then
  load embedded-80pct enroll "$port" "$devices" --rate "$(awk -v p="$peak" 'BEGIN { printf "%.0f", p * 0.8 }')" --concurrency 256
fi
stop_server

bench_store "$quick"

redis=$(command -v redis-server || true)
if [[ -n $redis ]]; then
  rport=$(free_port)
  mkdir -p "$work/redis"
  start_background "$work/redis.log" "$redis" --port "$rport" --bind 127.0.0.1 --dir "$work/redis" --appendonly yes --appendfsync always --save ''
  wait_until_ready "redis-server" "tcp://127.0.0.1:$rport" 10 "$work/redis.log" "$started_pid"
  # One host throughout; a second worker joins half-way, as when a deployment scales out. Its one
  # baseline (healthz never touches the queue) sits between the two enrollment runs.
  echo "Redis queue, 1 signer worker, ECDSA P-256 issuing CA" >&2
  start_signer "$work/ec" "$repo/config" "$work/signer-1.log" Est__Redis="127.0.0.1:$rport"
  port=$(free_port)
  start_server "$work/ec" "$repo/config" "$port" "$work/server-$port.log" Est__Redis="127.0.0.1:$rport"
  settle "$port" "$devices"
  load redis-1-worker enroll "$port" "$devices"
  load redis baseline "$port" "$devices"
  echo "Redis queue, 2 signer workers (one more joins), ECDSA P-256 issuing CA" >&2
  start_signer "$work/ec" "$repo/config" "$work/signer-2.log" Est__Redis="127.0.0.1:$rport"
  settle "$port" "$devices"
  load redis-2-worker enroll "$port" "$devices"
  stop_server
else
  echo "redis-server not installed: Redis modes skipped (apt-get install redis-server)" >&2
fi

echo "embedded signer, RSA-2048 issuing CA (platform RSA)" >&2
mkdir -p "$work/rsa/config/profiles"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/rsa/root.key" -out "$work/rsa/root.pem" -subj "/CN=Bench RSA Root" -days 3650 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$work/rsa/issuing.key" -out "$work/rsa/issuing.csr" -subj "/CN=Bench RSA Issuing CA" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >"$work/rsa/ca.ext"
openssl x509 -req -in "$work/rsa/issuing.csr" -CA "$work/rsa/root.pem" -CAkey "$work/rsa/root.key" -days 1825 -extfile "$work/rsa/ca.ext" -out "$work/rsa/issuing.pem" 2>/dev/null
for profile in "$repo"/config/profiles/*.yaml; do
  sed "s|dev:manufacturer|$work/ec/dev-pki/manufacturer-ca.pem|" "$profile" >"$work/rsa/config/profiles/$(basename "$profile")"
done
port=$(free_port)
start_server "$work/rsa/data" "$work/rsa/config" "$port" "$work/server-$port.log" \
  Est__Ca__CertificatePath="$work/rsa/issuing.pem" Est__Ca__ChainPath="$work/rsa/root.pem" Est__Ca__KeyPath="$work/rsa/issuing.key" \
  Est__Tls__CertificatePath="$work/ec/dev-pki/server.pem" Est__Tls__KeyPath="$work/ec/dev-pki/server.key"
settle "$port" "$devices"
load rsa-ca baseline "$port" "$devices"
load rsa-ca enroll "$port" "$devices"
stop_server

echo "micro-benchmark: the issuance path on one thread (BenchmarkDotNet)" >&2
(cd "$work" && dotnet "$benchmarks" "${bench_job[@]}" --exporters csv >"$work/micro.log" 2>&1) || true
micro_csv=$(ls "$work"/BenchmarkDotNet.Artifacts/results/*IssuanceBenchmarks-report.csv 2>/dev/null | head -1 || true)

# ---- report ------------------------------------------------------------------------------------
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
echo
echo "EstServer benchmark on $(nproc) cores ($(date -u +%Y-%m-%dT%H:%MZ)); load generator, server, Redis and workers share these cores"
printf '%-26s %-10s %-15s %6s %9s %8s %8s %8s %8s  %-12s %s\n' name mode transport conc "req/s" p50_ms p90_ms p99_ms max_ms failures verified
while read -r line; do
  printf '%-26s %-10s %-15s %6s %9s %8s %8s %8s %8s  %-12s %s\n' \
    "$(field name <<<"$line")" "$(field mode <<<"$line")" "$(field transport <<<"$line")" "$(field concurrency <<<"$line")" "$(field rps <<<"$line")" \
    "$(field p50 <<<"$line")" "$(field p90 <<<"$line")" "$(field p99 <<<"$line")" "$(field max <<<"$line")" \
    "$(field failures <<<"$line")" "$(field verified <<<"$line")"
done < <(grep '^RESULT' "$results")
# Every enrollment is a distinct CSR (a repeat would be answered from the result cache); a pool too
# small for a run is topped up mid-run, which the generator counts and this line names.
minted=$(while read -r line; do n=$(field csrs_minted_in_run <<<"$line"); [[ ${n:-0} != 0 ]] && printf ' %s=%s' "$(field name <<<"$line")" "$n"; done <"$results" || true)
[[ -n $minted ]] && echo "CSRs made during measured runs (pool too small; their cost is in the figures):$minted"
echo

rps() { grep "name=$1 mode=$2 transport=${3:-new-connection} " "$results" | field rps | head -1; }
ratio() { # enroll-name baseline-name label
  local enroll baseline
  enroll=$(rps "$1" enroll) baseline=$(rps "$2" baseline)
  if [[ -n $enroll && -n $baseline ]]; then
    awk -v e="$enroll" -v b="$baseline" -v l="$3" 'BEGIN { printf "%s enroll/handshake ratio: %.2f\n", l, e / b }'
  fi
}
ratio embedded embedded "embedded (ECDSA CA)"
ratio redis-1-worker redis "redis, 1 worker"
ratio redis-2-worker redis "redis, 2 workers"
ratio rsa-ca rsa-ca "embedded (RSA CA)"
report_store

ec=$(rps embedded enroll) rsa=$(rps rsa-ca enroll)
[[ -n $ec && -n $rsa ]] && awk -v e="$ec" -v r="$rsa" 'BEGIN { printf "RSA-2048 CA vs ECDSA P-256 CA enrollments: %.2fx as fast\n", r / e }'

p99=$(grep "name=embedded-80pct " "$results" | field p99 | head -1)
rate=$(grep "name=embedded-80pct " "$results" | sed -n 's/.* rate=\([0-9]*\).*/\1/p' | head -1)
[[ -n $p99 ]] && echo "p99 latency at 80% of peak (${rate}/s, new connections, open loop): ${p99} ms; target 50 ms"

if [[ -n $micro_csv ]]; then
  # Columns by header name; times are in microseconds (see test/EstServer.Benchmarks/Program.cs).
  micro() { awk -F, -v want="$1" -v key="$2" 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "Method") m = i; if ($i == "CaKey") c = i; if ($i ~ /^Mean/) v = i } next }
    $m == want && $c == key { print $v; exit }' "$micro_csv"; }
  mean_us=$(micro Issue_FullPath ECDSA-P256)
  keepalive=$(rps embedded-keepalive enroll keep-alive)
  if [[ -n $mean_us && -n $keepalive ]]; then
    awk -v us="$mean_us" -v k="$keepalive" 'BEGIN {
      single = 1e6 / us
      printf "single-thread issuance (micro-benchmark, ECDSA CA): %.0f us = %.0f/s; keep-alive enrollments %.0f/s = %.2f x (2 x single-thread); target 0.80\n", us, single, k, k / (2 * single)
    }'
  fi
  echo
  echo "micro-benchmarks (BenchmarkDotNet, one thread, microseconds):"
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "Method") m = i; if ($i == "CaKey") c = i; if ($i ~ /^Mean/) v = i; if ($i ~ /^Allocated/) a = i } next }
    { printf "  %-24s %-11s %12s us  allocated %s\n", $m, $c, $v, $a }' "$micro_csv"
fi
