#!/usr/bin/env bash
# Authenticated npm tarball GETs with 1, 2, ... N Wharf nodes on this machine (issue 8).
#   bench/npm/cluster-bench.sh
# Starts N nodes (`./wharf server`, free ports from BASE_PORT) on a fresh schema of the local
# PostgreSQL, sharing one data directory (blobs, first-start credentials) and one WHARF_MASTER_KEY;
# publishes one tarball of TARBALL_KB KB (random content) through node 1 (bench/npm/npm-put.mjs),
# takes one token from node 1 (aws CLI), then for n = 1..N runs wrk (-c CONNECTIONS, DURATION s
# after a 5 s warm-up) with its threads spread over the first n nodes (a Lua setup() gives each
# thread one node's address, so the load is split evenly as a round-robin balancer would).
# Env (defaults): NODES 3, DURATION 15, CONNECTIONS 64, TARBALL_KB 100, BASE_PORT 18580,
#   PGHOST 127.0.0.1, PGPORT 5432, PGUSER postgres, PGDATABASE test, KEEP=1 keeps the work dir.
# Needs: psql, wrk, node, jq, curl, the aws CLI.
set -euo pipefail
npmdir="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$npmdir/../.." && pwd)"
NODES="${NODES:-3}"; DURATION="${DURATION:-15}"; CONNECTIONS="${CONNECTIONS:-64}"
TARBALL_KB="${TARBALL_KB:-100}"; BASE_PORT="${BASE_PORT:-18580}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGDATABASE="${PGDATABASE:-test}"
for tool in psql wrk node jq curl aws; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }; done

work="$(mktemp -d)"
schema="wharf_bench_$(date +%s)_$$"
pids=()
cleanup() {
  local p; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  if [ "${KEEP:-0}" = 1 ]; then echo "work dir kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '\n== %s\n' "$*" >&2; }

psql -q -c "CREATE SCHEMA $schema"
export WHARF_DATABASE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE?user=$PGUSER&currentSchema=$schema"
WHARF_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"; export WHARF_MASTER_KEY
data="$work/shared-data"
log "start $NODES nodes on schema $schema, data $data"
for i in $(seq 1 "$NODES"); do
  port=$((BASE_PORT + i - 1))
  "$root/wharf" server --port "$port" --data "$data" --bind 127.0.0.1 >"$work/node$i.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 1500); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break
    kill -0 "${pids[-1]}" 2>/dev/null || { tail -n 20 "$work/node$i.log" >&2; exit 1; }
    sleep 0.2
  done
done
awsw() { AWS_SHARED_CREDENTIALS_FILE="$data/credentials" AWS_CONFIG_FILE="$data/config" \
  aws --endpoint-url "http://127.0.0.1:$BASE_PORT" "$@"; }
account=$(awsw sts get-caller-identity --query Account --output text)
awsw codeartifact create-domain --domain bench >/dev/null
awsw codeartifact create-repository --domain bench --domain-owner "$account" --repository app >/dev/null
token=$(awsw codeartifact get-authorization-token --domain bench --domain-owner "$account" \
  --query authorizationToken --output text)

mkdir -p "$work/gen/package"
printf '{"name":"cluster-bench","version":"1.0.0","license":"MIT"}\n' >"$work/gen/package/package.json"
head -c "$((TARBALL_KB * 1024))" /dev/urandom >"$work/gen/package/blob.bin"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/gen" -cf - package | gzip -n -1 >"$work/cb.tgz"
registry="http://127.0.0.1:$BASE_PORT/bench-$account/npm/app/"
printf 'cluster-bench\t1.0.0\t%s\n' "$work/cb.tgz" | node "$npmdir/npm-put.mjs" "$registry" "$token" >&2
path="/bench-$account/npm/app/cluster-bench/-/cluster-bench-1.0.0.tgz"
size=$(stat -c %s "$work/cb.tgz")
for i in $(seq 1 "$NODES"); do # every node serves it before we measure
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$((BASE_PORT + i - 1))$path")
  [ "$code" = 200 ] || { echo "node $i answered $code for $path" >&2; exit 1; }
done

printf '\n| nodes | wrk threads | req/s | p50 | p99 | errors |\n|---|---|---|---|---|---|\n'
for n in $(seq 1 "$NODES"); do
  threads=$(( n < 2 ? 2 : n ))
  ports=$(seq -s, "$BASE_PORT" "$((BASE_PORT + n - 1))")
  cat >"$work/spread.lua" <<LUA
local ports = {$ports}
local next = 0
function setup(thread)
  thread.addr = wrk.lookup("127.0.0.1", tostring(ports[(next % #ports) + 1]))[1]
  next = next + 1
end
wrk.headers["Authorization"] = "Bearer $token"
LUA
  wrk -t"$threads" -c"$CONNECTIONS" -d5s -s "$work/spread.lua" "http://127.0.0.1:$BASE_PORT$path" >/dev/null
  out=$(wrk -t"$threads" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/spread.lua" "http://127.0.0.1:$BASE_PORT$path")
  echo "$out" >"$work/wrk-$n.txt"
  echo "$out" | awk -v n="$n" -v t="$threads" '/Requests\/sec/ {r=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad+=$NF}
       /Socket errors/ {gsub(",", ""); bad+=$4+$6+$8+$10}
       END {printf "| %s | %s | %s | %s | %s | %s |\n", n, t, r, p50, p99, bad+0}'
done
echo "(tarball $size bytes; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
