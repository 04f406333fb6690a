# The certificate store's part of scripts/bench.sh (sourced; uses its load, settle, results, work,
# repo, server, loadtest and devices). Three questions: does recording every certificate slow
# enrollment (against the commit just before the store entered the signing path, built here); does
# enrollment stay flat as the store grows from 10^3 to 10^6 certificates; how fast are a device's
# certificates found on 10^6 rows, and OCSP answered over keep-alive.

# The server of the commit before the signing path recorded anything (deeca9e: the store project
# existed, nothing called it), built from git history into the work directory.
STORE_BASELINE_COMMIT=deeca9e

# ROUNDS rounds; in each, every NAME=PORT=PID server gets one burst of enrollments (results NAME-ROUND),
# in the given order in odd rounds and reversed in even ones (ABBA), so a steady drift favours no side.
# The server's CPU (user + system, from /proc) over the measured part of each burst, per enrollment,
# is kept as STORE_CPU: what the store costs, attributed, where enroll/s only shows its sum.
bursts() { # rounds name=port=pid...
  local rounds=$1 round spec order name port pid before after result ok
  shift
  echo "  $rounds rounds of ${burst}s bursts, alternating: ${*%=*}" >&2
  for ((round = 1; round <= rounds; round++)); do
    order=("$@")
    ((round % 2 == 0)) && mapfile -t order < <(printf '%s\n' "$@" | tac)
    for spec in "${order[@]}"; do
      IFS== read -r name port pid <<<"$spec"
      dotnet "$loadtest" --url "https://127.0.0.1:$port" --trust-anchor "$work/ec/dev-pki/trust-anchor.pem" --devices "$devices" \
        --mode enroll --concurrency "$concurrency" --duration "$burst" --warmup 0 --csr-pool "$burst_pool" --name "$name-$round" >"$work/burst.out" &
      # No warm-up, so every enrollment the server's CPU paid for is counted (the servers are settled,
      # and idle while the generator makes its CSR pool).
      before=$(process_ticks "$pid")
      wait $! || true
      after=$(process_ticks "$pid")
      result=$(grep '^RESULT' "$work/burst.out" || true)
      [[ -z $result ]] && continue
      echo "$result" >>"$results"
      ok=$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' <<<"$result")
      awk -v n="$name-$round" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v ok="$ok" \
        'BEGIN { if (ok > 0) printf "STORE_CPU name=%s us_per_enroll=%.0f\n", n, t * 1e6 / hz / ok }' >>"$results"
    done
  done
}

process_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # pid: user + system clock ticks so far

stop_pids() { # pid...
  local pid
  for pid in "$@"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

fresh_data_dir() { # target: the run's development PKI and devices, without any store
  mkdir -p "$1"
  cp -r "$work/ec/dev-pki" "$1/"
  [[ -f $work/ec/queue-secret ]] && cp "$work/ec/queue-secret" "$1/"
  return 0
}

bench_store() {
  local quick=$1 baseline_dll round port hport small large identity query_line burst=6 burst_pool=6000
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

  # Both servers up at once, loaded in turn in short bursts: this machine's speed drifts by as much as
  # 20% within a minute (one build measured 270-360 enroll/s in consecutive 6 s runs), and alternating
  # bursts put that drift on both sides alike where long runs one after the other do not.
  local rounds=10 none_port="" none_pid="" store_port store_pid
  ((quick)) && rounds=3
  if [[ -n $baseline_dll ]]; then
    fresh_data_dir "$work/nostore"
    none_port=$(free_port)
    SERVER_DLL="$baseline_dll" start_server "$work/nostore" "$repo/config" "$none_port" "$work/nostore.log"
    none_pid=$server_pid
    settle "$none_port" "$devices"
  fi
  fresh_data_dir "$work/store"
  store_port=$(free_port)
  start_server "$work/store" "$repo/config" "$store_port" "$work/store.log"
  store_pid=$server_pid
  settle "$store_port" "$devices"
  if [[ -n $none_port ]]; then
    bursts "$rounds" "no-store=$none_port=$none_pid" "store=$store_port=$store_pid"
  else
    bursts "$rounds" "store=$store_port=$store_pid"
  fi
  stop_pids $none_pid $store_pid

  # The same enrollments against a store already holding 10^3 and 10^6 certificates.
  small="$work/store-1e3" large="$work/store-1e6"
  fresh_data_dir "$small"
  fresh_data_dir "$large"
  dotnet "$loadtest" seed-store --data-dir "$small" --count 1000 | sed 's/^/  1e3: /' >&2
  dotnet "$loadtest" seed-store --data-dir "$large" --count 1000000 | sed 's/^/  1e6: /' >&2
  local small_port small_pid large_port large_pid
  small_port=$(free_port)
  start_server "$small" "$repo/config" "$small_port" "$work/store-1e3.log"
  small_pid=$server_pid
  settle "$small_port" "$devices"
  large_port=$(free_port)
  start_server "$large" "$repo/config" "$large_port" "$work/store-1e6.log"
  large_pid=$server_pid
  settle "$large_port" "$devices"
  bursts "$rounds" "stored-1e3=$small_port=$small_pid" "stored-1e6=$large_port=$large_pid"
  stop_pids $small_pid $large_pid

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
  cpu() { # name-prefix: mean server CPU per enrollment over the rounds
    grep "^STORE_CPU name=$1-[0-9]* " "$results" | sed -n 's/.* us_per_enroll=\([0-9]*\).*/\1/p' | awk '{ s += $1; n++ } END { if (n) printf "%.0f", s / n }'
  }
  local cpu_none cpu_with
  cpu_none=$(cpu no-store) cpu_with=$(cpu store)
  [[ -n $cpu_none && -n $cpu_with ]] && awk -v n="$cpu_none" -v w="$cpu_with" 'BEGIN { printf "server CPU per enrollment (user + system): %d us with the store, %d us without = %+d us (%.3f)\n", w, n, w - n, n / w }'
  [[ -n $small && -n $large ]] && awk -v s="$small" -v l="$large" 'BEGIN { printf "10^6 vs 10^3 certificates stored: %.1f vs %.1f enroll/s = %.3f; target >= 0.95\n", l, s, l / s }'
  grep '^STORE_QUERY' "$results" | sed -n 's/.*round=\([0-9]*\) result="\(.*\)"/certs list --device X on 10^6 rows (round \1): \2; target < 50 ms/p'
  local ocsp
  ocsp=$(grep "name=ocsp-keepalive" "$results" | sed -n 's/.* rps=\([0-9.]*\).*/\1/p' | head -1)
  [[ -n $ocsp ]] && echo "OCSP over keep-alive: $ocsp responses/s; target >= 5000"
  return 0
}
