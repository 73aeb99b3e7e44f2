#!/usr/bin/env bash
# HTTP load on loopback (wrk, signed by botocore):
#   1. STS GetCallerIdentity against Wharf, then against moto_server (the peer: a Python AWS
#      emulator that does not verify signatures) in the same run;
#   2. CodeArtifact GetAuthorizationToken against Wharf (no local peer implements CodeArtifact).
#   bench/http-load.sh [seconds] [connections]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-20}"
connections="${2:-64}"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)"; exit 1; }

wait_for() { for _ in $(seq 1 150); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }
run() { # name url script
  echo "== $1: $connections connections, ${seconds}s after a 5 s warm-up"
  wrk -t2 -c"$connections" -d5s -s "$3" "$2" >/dev/null
  wrk -t2 -c"$connections" -d"${seconds}s" -s "$3" "$2" | tail -n 1
}

port=18080
"$here/wharf" server --port "$port" --data "$work/data" --bind 127.0.0.1 >"$work/wharf.log" 2>&1 &
wait_for "http://127.0.0.1:$port/health"
key=$(sed -n 's/^aws_access_key_id = //p' "$work/data/credentials")
secret=$(sed -n 's/^aws_secret_access_key = //p' "$work/data/credentials")
python3 "$here/bench/sign_request.py" "http://127.0.0.1:$port" "$key" "$secret" sts >"$work/sts.lua"
run "Wharf: signed STS GetCallerIdentity" "http://127.0.0.1:$port/" "$work/sts.lua"

if command -v moto_server >/dev/null; then
  mport=18081
  moto_server -p "$mport" >"$work/moto.log" 2>&1 &
  wait_for "http://127.0.0.1:$mport/moto-api/"
  python3 "$here/bench/sign_request.py" "http://127.0.0.1:$mport" AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY sts >"$work/moto.lua"
  run "moto_server (peer): the same call" "http://127.0.0.1:$mport/" "$work/moto.lua"
  kill %2 2>/dev/null || true
fi

account=$(AWS_SHARED_CREDENTIALS_FILE="$work/data/credentials" AWS_CONFIG_FILE="$work/data/config" \
  aws --endpoint-url "http://127.0.0.1:$port" sts get-caller-identity --query Account --output text)
AWS_SHARED_CREDENTIALS_FILE="$work/data/credentials" AWS_CONFIG_FILE="$work/data/config" \
  aws --endpoint-url "http://127.0.0.1:$port" codeartifact create-domain --domain bench >/dev/null
python3 "$here/bench/sign_request.py" "http://127.0.0.1:$port" "$key" "$secret" token bench "$account" >"$work/token.lua"
run "Wharf: CodeArtifact GetAuthorizationToken (each call seals and records a new token)" \
  "http://127.0.0.1:$port/v1/authorization-token" "$work/token.lua"
