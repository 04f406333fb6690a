# The certificate store's part of scripts/bench.sh (sourced; uses its load, settle, results, work,
# repo, server, loadtest and devices). Three questions: does recording every certificate slow
# enrollment (against the commit just before the store entered the signing path, built here); does
# enrollment stay flat as the store grows from 10^3 to 10^6 certificates; how fast are a device's
# certificates found on 10^6 rows, and OCSP answered over keep-alive.

# The server of the commit before the signing path recorded anything (deeca9e: the store project
# existed, nothing called it), built from git history into the work directory.
STORE_BASELINE_COMMIT=deeca9e

fresh_data_dir() { # target: the run's development PKI and devices, without any store
  mkdir -p "$1"
  cp -r "$work/ec/dev-pki" "$1/"
  [[ -f $work/ec/queue-secret ]] && cp "$work/ec/queue-secret" "$1/"
  return 0
}

bench_store() {
  local quick=$1 baseline_dll round port hport small large identity query_line
  echo "certificate store: without it (commit $STORE_BASELINE_COMMIT), with it, as it grows" >&2
  baseline_dll=""
  if git cat-file -e "$STORE_BASELINE_COMMIT^{commit}" 2>/dev/null; then
    echo "  building the pre-store server ($STORE_BASELINE_COMMIT)..." >&2
    mkdir -p "$work/nostore-src"
    git archive "$STORE_BASELINE_COMMIT" | tar -x -C "$work/nostore-src"
    if (cd "$work/nostore-src" && dotnet build src/EstServer.Host -c Release --nologo -v quiet -clp:ErrorsOnly >"$work/nostore-build.log" 2>&1); then
      baseline_dll="$work/nostore-src/src/EstServer.Host/bin/Release/net10.0/estserver.dll"
    else
      echo "  pre-store build failed (see $work/nostore-build.log): store-vs-none ratio skipped" >&2
    fi
  else
    echo "  commit $STORE_BASELINE_COMMIT not in this clone (shallow?): store-vs-none ratio skipped" >&2
  fi

  # Alternating rounds, so drift on a shared machine falls on both sides alike.
  local rounds=3
  ((quick)) && rounds=1
  for ((round = 1; round <= rounds; round++)); do
    if [[ -n $baseline_dll ]]; then
      fresh_data_dir "$work/nostore-$round"
      port=$(free_port)
      SERVER_DLL="$baseline_dll" start_server "$work/nostore-$round" "$repo/config" "$port" "$work/nostore-$round.log"
      settle "$port" "$devices"
      load "no-store-$round" enroll "$port" "$devices"
      stop_server
    fi
    fresh_data_dir "$work/store-$round"
    port=$(free_port)
    start_server "$work/store-$round" "$repo/config" "$port" "$work/store-$round.log"
    settle "$port" "$devices"
    load "store-$round" enroll "$port" "$devices"
    stop_server
  done

  # The same enrollments against a store already holding 10^3 and 10^6 certificates.
  small="$work/store-1e3" large="$work/store-1e6"
  fresh_data_dir "$small"
  fresh_data_dir "$large"
  dotnet "$loadtest" seed-store --data-dir "$small" --count 1000 | sed 's/^/  1e3: /' >&2
  dotnet "$loadtest" seed-store --data-dir "$large" --count 1000000 | sed 's/^/  1e6: /' >&2
  for ((round = 1; round <= rounds; round++)); do
    for size in 1e3 1e6; do
      port=$(free_port)
      start_server "$work/store-$size" "$repo/config" "$port" "$work/store-$size-$round.log"
      settle "$port" "$devices"
      load "stored-$size-$round" enroll "$port" "$devices"
      stop_server
    done
  done

  # One device's certificates among 10^6: the CLI times its own query (process start-up excluded).
  identity=$(dotnet "$server" certs list --limit 1 --Est:DataDir="$large" 2>/dev/null | awk -F'\t' '{ print $NF }')
  for round in 1 2 3; do
    query_line=$(dotnet "$server" certs list --device "$identity" --Est:DataDir="$large" 2>&1 >/dev/null | tail -1)
    echo "STORE_QUERY name=certs-list-device rows=1000000 round=$round result=\"$query_line\"" >>"$results"
  done

  # OCSP over keep-alive for certificates this run issued (their serials from the store).
  port=$(free_port) hport=$(free_port)
  start_server "$small" "$repo/config" "$port" "$work/ocsp.log" Est__Revocation__HttpUrl="http://127.0.0.1:$hport"
  dotnet "$server" certs list --limit 5000 --Est:DataDir="$small" 2>/dev/null | awk -F'\t' '$6 !~ /^seed-/ { print $1 }' >"$work/serials"
  echo "  ocsp ($(wc -l <"$work/serials") issued serials, keep-alive)" >&2
  dotnet "$loadtest" ocsp --url "http://127.0.0.1:$hport/ocsp" --issuer "$small/dev-pki/issuing-ca.pem" --serials "$work/serials" \
    --concurrency 16 --duration "$duration" --warmup "$warmup" --name ocsp-keepalive | grep '^RESULT' | tee -a "$results" >&2 || true
  stop_server
}

report_store() {
  local mean
  mean() { # name-prefix: mean rps over the rounds
    grep "name=$1-[0-9]* mode=enroll " "$results" | sed -n 's/.* rps=\([0-9.]*\).*/\1/p' | awk '{ s += $1; n++ } END { if (n) printf "%.1f", s / n }'
  }
  local none with small large
  none=$(mean no-store) with=$(mean store) small=$(mean stored-1e3) large=$(mean stored-1e6)
  [[ -n $none && -n $with ]] && awk -v n="$none" -v w="$with" 'BEGIN { printf "store vs no store (SQLite, fresh mTLS, distinct CSRs): %.1f vs %.1f enroll/s = %.3f; target >= 0.95\n", w, n, w / n }'
  [[ -n $small && -n $large ]] && awk -v s="$small" -v l="$large" 'BEGIN { printf "10^6 vs 10^3 certificates stored: %.1f vs %.1f enroll/s = %.3f; target >= 0.95\n", l, s, l / s }'
  grep '^STORE_QUERY' "$results" | sed -n 's/.*round=\([0-9]*\) result="\(.*\)"/certs list --device X on 10^6 rows (round \1): \2; target < 50 ms/p'
  local ocsp
  ocsp=$(grep "name=ocsp-keepalive" "$results" | sed -n 's/.* rps=\([0-9.]*\).*/\1/p' | head -1)
  [[ -n $ocsp ]] && echo "OCSP over keep-alive: $ocsp responses/s; target >= 5000"
  return 0
}
