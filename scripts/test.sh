#!/usr/bin/env bash
# Runs every test project. Installs what the tests need from Debian packages when missing (as root),
# builds once, runs the projects one after another, and ends with the line
#   N passed, N failed[, N skipped]
# summed over all projects; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/build.sh

# command -> Debian package
declare -A needed=([openssl]=openssl [curl]=curl [redis-server]=redis-server)
missing=()
for command in "${!needed[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${needed[$command]}")
done
# The store tests run a throwaway PostgreSQL cluster; Debian keeps initdb off PATH, under its version.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing: ${missing[*]}; run as root or install them with apt-get" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  echo "installing ${missing[*]} from Debian packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "apt-get install failed" >&2; echo "0 passed, 1 failed"; exit 1; }
fi

if ! dotnet build EstServer.sln -c Release --nologo -v quiet -clp:ErrorsOnly; then
  echo "build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
passed=0 failed=0 skipped=0 status=0
# The end-to-end tests run the hostile-input campaign and write their counts here.
export EST_CAMPAIGN_REPORT="$results/campaign.txt"
for project in test/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=1
  trx="$results/$name.trx"
  counters=$(grep -o '<Counters [^>]*>' "$trx" 2>/dev/null)
  if [[ -z $counters ]]; then
    echo "$name: no test results (the test host crashed?); counted as one failure" >&2
    failed=$((failed + 1)); status=1
    continue
  fi
  count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  total=$(count total) p=$(count passed)
  f=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + total - p - f))
done

if [[ -s $EST_CAMPAIGN_REPORT ]]; then
  echo "== hostile-input campaign (bounded CI run; scripts/soak.sh runs it longer)"
  grep -E '^(CAMPAIGN|STATUS|LEGIT) ' "$EST_CAMPAIGN_REPORT" || true
fi

((failed > 0)) && status=1
summary="$passed passed, $failed failed"
((skipped > 0)) && summary+=", $skipped skipped"
echo "$summary"
exit $status
