# Shared by the scripts that start their own servers (bench.sh, soak.sh); needs build.sh (SERVER_DLL).
# Everything started here is stopped by stop_started, which the scripts call from their EXIT trap.
started_pids=()

# Runs a command in the background with its output in LOG; its pid is left in $started_pid.
start_background() { # log command...
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  started_pid=$!
  started_pids+=("$started_pid")
}

stop_started() {
  local pid
  for pid in "${started_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

# Polls until TARGET answers: an http(s):// URL with a 2xx (certificates not checked), or tcp://HOST:PORT
# accepting a connection. After TIMEOUT seconds, or as soon as PID (if given) has exited, it fails with a
# message naming WHAT did not come up where, and the end of LOG (if given).
wait_until_ready() { # what target [timeout-seconds] [log] [pid]
  local what=$1 target=$2 timeout=${3:-60} log=${4:-} pid=${5:-}
  local deadline=$((SECONDS + timeout)) address problem
  while :; do
    case $target in
      tcp://*)
        address=${target#tcp://}
        (exec 3<>"/dev/tcp/${address%:*}/${address##*:}") 2>/dev/null && return 0
        ;;
      *) curl -sfk -o /dev/null --max-time 5 "$target" && return 0 ;;
    esac
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      problem="$what exited before it came up at $target"
      break
    fi
    if ((SECONDS >= deadline)); then
      problem="$what did not come up at $target within ${timeout}s"
      break
    fi
    sleep 0.1
  done
  echo "$problem" >&2
  if [[ -n $log && -s $log ]]; then
    echo "the end of its log ($log):" >&2
    tail -n 20 "$log" >&2
  fi
  return 1
}

# Starts the built server on https://127.0.0.1:PORT with EST_DATA_DIR, EST_CONFIG_DIR and any further
# VAR=value settings, and waits until its /readyz answers; its pid is left in $server_pid.
start_server() { # data-dir config-dir port log [VAR=value...]
  local data=$1 config=$2 port=$3 log=$4
  shift 4
  start_background "$log" env EST_DATA_DIR="$data" EST_CONFIG_DIR="$config" "$@" dotnet "$SERVER_DLL" --urls "https://127.0.0.1:$port"
  server_pid=$started_pid
  wait_until_ready "the server" "https://127.0.0.1:$port/readyz" 60 "$log" "$server_pid"
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}

# Starts a signer worker (it takes its jobs from Est__Redis) with the same directories and settings.
start_signer() { # data-dir config-dir log [VAR=value...]
  local data=$1 config=$2 log=$3
  shift 3
  start_background "$log" env EST_DATA_DIR="$data" EST_CONFIG_DIR="$config" "$@" dotnet "$SERVER_DLL" signer
}
