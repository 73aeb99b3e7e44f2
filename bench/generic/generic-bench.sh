#!/usr/bin/env bash
# Generic packages (issue 6, item 4): one large asset published with the real aws CLI
# (publish-package-version, streamed into the blob store) and downloaded back
# (get-package-version-asset, streamed from it), with the server's RSS sampled all along.
#   bench/generic/generic-bench.sh
# Starts Wharf (`./wharf server` on a fresh data dir in a temporary folder, a free port, max asset
# size raised to fit), creates domain `bench` and repository `files` with the root credentials the
# first start writes, generates $SIZE_MB MB of random bytes (never kept in the repo), then prints:
# publish time and MB/s, download time and MB/s, the server's RSS before, max during the publish,
# max during the download (ps every 0.2 s), and checks the downloaded bytes (cmp).
# Env (defaults): SIZE_MB 300, WHARF_BIN (default ./wharf of this checkout), KEEP=1 keeps the work dir,
# WHARF_SERVER_ARGS extra `wharf server` arguments (bench/s3/s3-bench.sh passes --blob-store … there).
# Needs: the aws CLI, curl, python3 (a free port), sha256sum, cmp.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
SIZE_MB="${SIZE_MB:-300}"
WHARF_BIN="${WHARF_BIN:-$root/wharf}"
for tool in aws curl python3 sha256sum cmp; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done

work="$(mktemp -d)"
server_pid=""
sampler_pid=""
cleanup() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "work dir kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
data="$work/data"
max=$(( (SIZE_MB + 16) * 1024 * 1024 ))
# shellcheck disable=SC2086 # WHARF_SERVER_ARGS is a list of words
"$WHARF_BIN" server --port "$port" --data "$data" --bind 127.0.0.1 --max-asset-size "$max" ${WHARF_SERVER_ARGS:-} \
  >"$work/wharf.log" 2>&1 &
launcher_pid=$!
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break
  kill -0 "$launcher_pid" 2>/dev/null || { cat "$work/wharf.log" >&2; exit 1; }
  sleep 0.1
done
# the JVM listening on the port (the launcher may exec or fork it)
server_pid="$(ss -ltnpH "sport = :$port" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n1)"
[ -n "$server_pid" ] || server_pid="$launcher_pid"

# The aws CLI uses Wharf's root key from the files below; keys in the environment (meant for the
# server's S3 client in bench/s3) would take precedence, so they go.
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
export AWS_SHARED_CREDENTIALS_FILE="$data/credentials" AWS_CONFIG_FILE="$data/config" AWS_DEFAULT_REGION=us-east-1 \
  AWS_PAGER="" AWS_MAX_ATTEMPTS=1
E=(--endpoint-url "http://127.0.0.1:$port")
aws "${E[@]}" codeartifact create-domain --domain bench >/dev/null
aws "${E[@]}" codeartifact create-repository --domain bench --repository files >/dev/null

asset="$work/big.bin"
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom >"$asset"
sha="$(sha256sum "$asset" | cut -d' ' -f1)"

rss_kb() { ps -o rss= -p "$server_pid" | tr -d ' '; }
samples="$work/rss"
( while true; do echo "$(date +%s%N) $(rss_kb)"; sleep 0.2; done ) >"$samples" &
sampler_pid=$!
max_between() { awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b && $2 > m { m = $2 } END { print m + 0 }' "$samples"; }

sleep 1
before="$(rss_kb)"
t0=$(date +%s%N)
aws "${E[@]}" codeartifact publish-package-version --domain bench --repository files --format generic \
  --namespace bench --package big --package-version 1.0 --asset-content "$asset" --asset-name big.bin \
  --asset-sha256 "$sha" >/dev/null
t1=$(date +%s%N)
aws "${E[@]}" codeartifact get-package-version-asset --domain bench --repository files --format generic \
  --namespace bench --package big --package-version 1.0 --asset big.bin "$work/out.bin" >/dev/null
t2=$(date +%s%N)
sleep 0.5
cmp "$asset" "$work/out.bin"

publish_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
get_s=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
printf 'asset: %d MB (%d bytes), sha256 %s, load average %s\n' "$SIZE_MB" "$(stat -c %s "$asset")" "$sha" \
  "$(cut -d' ' -f1 /proc/loadavg)"
printf 'publish-package-version:   %6s s  %7.1f MB/s  server RSS max %d MB\n' "$publish_s" \
  "$(awk -v s="$publish_s" -v m="$SIZE_MB" 'BEGIN { print m / s }')" "$(( $(max_between "$t0" "$t1") / 1024 ))"
printf 'get-package-version-asset: %6s s  %7.1f MB/s  server RSS max %d MB\n' "$get_s" \
  "$(awk -v s="$get_s" -v m="$SIZE_MB" 'BEGIN { print m / s }')" "$(( $(max_between "$t1" "$t2") / 1024 ))"
printf 'server RSS before: %d MB, after: %d MB; downloaded bytes identical\n' "$((before / 1024))" "$(( $(rss_kb) / 1024 ))"
