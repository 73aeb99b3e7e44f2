#!/usr/bin/env bash
# Blob store throughput (issue 8): the same large generic asset published and downloaded with the
# real aws CLI through a server on the file store, then through one on the S3 store backed by
# moto_server on loopback, with the Wharf server's RSS sampled (bench/generic/generic-bench.sh does
# the measuring; this script adds moto and the --blob-store arguments).
#   bench/s3/s3-bench.sh
# Env (defaults): SIZE_MB 100, MOTO_SERVER (moto_server on the PATH or ~/.pyenv/shims/moto_server).
# Needs: what generic-bench.sh needs, and moto_server (pip install 'moto[server]').
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export SIZE_MB="${SIZE_MB:-100}"
MOTO_SERVER="${MOTO_SERVER:-$(command -v moto_server || echo "$HOME/.pyenv/shims/moto_server")}"
[ -x "$MOTO_SERVER" ] || { echo "needs moto_server (set MOTO_SERVER)" >&2; exit 1; }

work="$(mktemp -d)"
moto_pid=""
cleanup() {
  [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$MOTO_SERVER" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 300); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  kill -0 "$moto_pid" 2>/dev/null || { cat "$work/moto.log" >&2; exit 1; }
  sleep 0.1
done
# moto accepts any credentials; the server reads these through the standard AWS chain.
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null \
  aws --endpoint-url "http://127.0.0.1:$port" --region us-east-1 s3api create-bucket --bucket wharf-bench >/dev/null

echo "== file store (<data>/blobs)"
WHARF_SERVER_ARGS="" "$root/bench/generic/generic-bench.sh"
echo
echo "== S3 store (moto_server on loopback, 8 MiB parts)"
# generic-bench.sh unsets these keys for its aws CLI (which uses Wharf's credentials file) after the
# server has started with them: the Wharf server's S3 client picks them up from the standard chain.
WHARF_SERVER_ARGS="--blob-store s3://wharf-bench/blobs --s3-endpoint http://127.0.0.1:$port --s3-path-style" \
  "$root/bench/generic/generic-bench.sh"
echo "moto_server RSS at the end: $(( $(ps -o rss= -p "$moto_pid" | tr -d ' ') / 1024 )) MB (moto keeps objects in memory)"
