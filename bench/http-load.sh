#!/usr/bin/env bash
# HTTP load on loopback: signed STS GetCallerIdentity against Wharf, then against moto_server
# (the peer: a Python AWS emulator that does not verify signatures) in the same run.
#   bench/http-load.sh [seconds] [connections]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-20}"
connections="${2:-64}"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)"; exit 1; }

wait_for() { for _ in $(seq 1 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }

# Wharf
port=18080
"$here/wharf" server --port "$port" --data "$work/data" --bind 127.0.0.1 >"$work/wharf.log" 2>&1 &
wait_for "http://127.0.0.1:$port/health"
key=$(sed -n 's/^aws_access_key_id = //p' "$work/data/credentials")
secret=$(sed -n 's/^aws_secret_access_key = //p' "$work/data/credentials")
python3 "$here/bench/sign_request.py" "http://127.0.0.1:$port" "$key" "$secret" >"$work/request.lua"
echo "== Wharf: signed GetCallerIdentity, $connections connections, ${seconds}s (5 s warm-up first)"
wrk -t2 -c"$connections" -d5s -s "$work/request.lua" "http://127.0.0.1:$port/" >/dev/null
wrk -t2 -c"$connections" -d"${seconds}s" -s "$work/request.lua" "http://127.0.0.1:$port/" | tail -n 1

# moto_server (peer)
if command -v moto_server >/dev/null; then
  mport=18081
  moto_server -p "$mport" >"$work/moto.log" 2>&1 &
  wait_for "http://127.0.0.1:$mport/moto-api/"
  python3 "$here/bench/sign_request.py" "http://127.0.0.1:$mport" AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY >"$work/moto.lua"
  echo "== moto_server (peer): the same call, same settings"
  wrk -t2 -c"$connections" -d5s -s "$work/moto.lua" "http://127.0.0.1:$mport/" >/dev/null
  wrk -t2 -c"$connections" -d"${seconds}s" -s "$work/moto.lua" "http://127.0.0.1:$mport/" | tail -n 1
fi
