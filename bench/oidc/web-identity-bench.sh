#!/usr/bin/env bash
# AssumeRoleWithWebIdentity on loopback (issue 14): a local HTTPS OIDC issuer (bench/oidc/issuer.py,
# its certificate trusted by thumbprint), a role that trusts it, and wrk replaying one unsigned
# AssumeRoleWithWebIdentity call with a real RS256 token. Every call verifies the JWT's signature
# (keys cached after the first call), evaluates the trust policy and seals a new session.
# The peer is moto_server answering the same call in the same run (moto does not verify the token).
#   bench/oidc/web-identity-bench.sh [seconds] [connections]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-20}"
connections="${2:-64}"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)"; exit 1; }

wait_for() { for _ in $(seq 1 150); do curl -skf -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }
run() { # name url
  echo "== $1: $connections connections, ${seconds}s after a 5 s warm-up"
  wrk -t2 -c"$connections" -d5s -s "$work/assume.lua" "$2" >/dev/null
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/assume.lua" "$2" | grep -E "Requests/sec|50%|99%|Non-2xx"
}

port=18080
issuer_port=18443
subject="repo:org/app:ref:refs/heads/main"
python3 "$here/bench/oidc/issuer.py" "$issuer_port" "$work" "$subject" sts.amazonaws.com &
"$here/wharf" server --port "$port" --data "$work/data" --bind 127.0.0.1 >"$work/wharf.log" 2>&1 &
wait_for "http://127.0.0.1:$port/health"
for _ in $(seq 1 100); do [ -f "$work/ready" ] && break; sleep 0.1; done
aws_wharf() {
  AWS_SHARED_CREDENTIALS_FILE="$work/data/credentials" AWS_CONFIG_FILE="$work/data/config" \
    aws --endpoint-url "http://127.0.0.1:$port" "$@"
}
provider=$(aws_wharf iam create-open-id-connect-provider --url "https://127.0.0.1:$issuer_port" \
  --client-id-list sts.amazonaws.com --thumbprint-list "$(cat "$work/thumbprint")" \
  --query OpenIDConnectProviderArn --output text)
trust="{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"$provider\"},\
\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"127.0.0.1:$issuer_port:aud\":\"sts.amazonaws.com\"},\
\"StringLike\":{\"127.0.0.1:$issuer_port:sub\":\"repo:org/app:ref:refs/heads/*\"}}}]}"
role=$(aws_wharf iam create-role --role-name ci --assume-role-policy-document "$trust" --query Role.Arn --output text)
# one real call first: the answer must be a session, not an error
AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= aws --endpoint-url "http://127.0.0.1:$port" --no-sign-request \
  sts assume-role-with-web-identity --role-arn "$role" --role-session-name bench \
  --web-identity-token "$(cat "$work/token")" --query AssumedRoleUser.Arn --output text

body="Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$role")&RoleSessionName=bench&WebIdentityToken=$(cat "$work/token")"
cat >"$work/assume.lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
run "Wharf: AssumeRoleWithWebIdentity (JWT verified, trust policy evaluated, session sealed)" "http://127.0.0.1:$port/"

if command -v moto_server >/dev/null; then
  mport=18081
  moto_server -p "$mport" >"$work/moto.log" 2>&1 &
  wait_for "http://127.0.0.1:$mport/moto-api/"
  run "moto_server (peer): the same call, token not verified" "http://127.0.0.1:$mport/"
fi
