#!/usr/bin/env bash
# Package files against the physical limit (issue 15): Wharf serving an npm tarball, token-checked,
# policy-evaluated and audited, side by side with nginx serving the same bytes as a static file
# (worker_processes auto, sendfile on, access log off), in one run.
#   bench/files/file-bench.sh [seconds] [connections] [size-bytes]     defaults: 10 64 58342
# Starts both servers itself (Wharf with ./wharf server on a fresh data directory and the launcher's
# default settings; nginx from PATH on its own config), publishes one tarball of the given size (a
# random file inside, so gzip cannot shrink it), then runs wrk -t2 on each, alternating, RUNS times
# (default 2) after a warm-up each (WARMUP seconds, default 10: the JIT needs it), and prints one table: requests/s, p50, p99, server CPU time
# per request (utime+stime from /proc/PID/stat over the runs, all nginx workers summed) and RSS.
# With METADATA=N (default 0: off) it also publishes a package of N versions and compares its packument,
# full and abbreviated, with nginx serving the very bytes Wharf rendered (fetched once, as static files).
# Env: RUNS (2), WARMUP (10), WHARF_PORT (18590), NGINX_PORT (18591), WHARF_BIN (./wharf of this checkout),
#   METADATA (0), KEEP=1 keeps the work directory.
# Needs: wrk, nginx, curl, python3, the aws CLI.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-10}"
connections="${2:-64}"
size="${3:-58342}"
RUNS="${RUNS:-2}"
WHARF_PORT="${WHARF_PORT:-18590}"
NGINX_PORT="${NGINX_PORT:-18591}"
WHARF_BIN="${WHARF_BIN:-$root/wharf}"
for tool in wrk nginx curl python3 aws; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
work="$(mktemp -d)"
chmod 755 "$work"  # nginx workers run as another user
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  kill "$(jobs -p)" 2>/dev/null || true
  wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

ticks() { # utime+stime of the processes $@, in clock ticks
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
rss_mb() { echo $(( $(ps -o rss= -p "$1" | tr -d ' ') / 1024 )); }

# the tarball: package.json and a random file of the size asked for (less the archive's overhead)
mkdir -p "$work/pkg/package" "$work/www"
head -c "$((size > 2000 ? size - 1500 : size))" /dev/urandom > "$work/pkg/package/blob.bin"
echo '{"name":"filebench","version":"1.0.0"}' > "$work/pkg/package/package.json"
tar -czf "$work/www/filebench-1.0.0.tgz" -C "$work/pkg" package
chmod -R a+rX "$work/www"
python3 - "$work/www/filebench-1.0.0.tgz" "$work/publish.json" <<'PY'
import base64, hashlib, json, sys
data = open(sys.argv[1], 'rb').read()
dist = {"integrity": "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode(),
        "shasum": hashlib.sha1(data).hexdigest(), "tarball": "http://x/filebench-1.0.0.tgz"}
body = {"_id": "filebench", "name": "filebench", "dist-tags": {"latest": "1.0.0"},
        "versions": {"1.0.0": {"name": "filebench", "version": "1.0.0", "_id": "filebench@1.0.0", "dist": dist}},
        "_attachments": {"filebench-1.0.0.tgz": {"content_type": "application/octet-stream",
                                                 "data": base64.b64encode(data).decode(), "length": len(data)}}}
json.dump(body, open(sys.argv[2], 'w'))
PY
bytes=$(stat -c %s "$work/www/filebench-1.0.0.tgz")

"$WHARF_BIN" server --port "$WHARF_PORT" --data "$work/data" --bind 127.0.0.1 >"$work/wharf.log" 2>&1 &
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$WHARF_PORT/health" >/dev/null && break; sleep 0.2; done
wharf_pid=$(ss -ltnp "sport = :$WHARF_PORT" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n1)
aws_wharf() {
  AWS_SHARED_CREDENTIALS_FILE="$work/data/credentials" AWS_CONFIG_FILE="$work/data/config" \
    aws --endpoint-url "http://127.0.0.1:$WHARF_PORT" "$@"
}
aws_wharf codeartifact create-domain --domain bench >/dev/null
aws_wharf codeartifact create-repository --domain bench --repository files >/dev/null
token=$(aws_wharf codeartifact get-authorization-token --domain bench --query authorizationToken --output text)
endpoint=$(aws_wharf codeartifact get-repository-endpoint --domain bench --repository files --format npm \
  --query repositoryEndpoint --output text)
curl -sf -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data-binary @"$work/publish.json" "${endpoint}filebench" >/dev/null
printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$token" > "$work/auth.lua"
wharf_url="${endpoint}filebench/-/filebench-1.0.0.tgz"

cat > "$work/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  server { listen 127.0.0.1:$NGINX_PORT; root $work/www; }
}
EOF
nginx -c "$work/nginx.conf"
for _ in $(seq 1 50); do [ -s "$work/nginx.pid" ] && break; sleep 0.1; done
nginx_url="http://127.0.0.1:$NGINX_PORT/filebench-1.0.0.tgz"
nginx_pids=$(pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' ')
for url in "$wharf_url" "$nginx_url"; do
  got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' -H "Authorization: Bearer $token" "$url")
  [ "$got" = "200 $bytes" ] || { echo "$url answered $got, not 200 $bytes" >&2; exit 1; }
done

declare -A rps p50 p99 cpu requests
run() { # side url pids... ; appends this run's figures (LUA: the wrk script, default the token's)
  local side=$1 url=$2; shift 2
  local lua="${LUA:-$work/auth.lua}"
  wrk -t2 -c"$connections" -d"${WARMUP:-10}s" -s "$lua" "$url" >/dev/null
  local before after out n
  before=$(ticks "$@")
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$lua" "$url")
  after=$(ticks "$@")
  if grep -q "Non-2xx" <<<"$out"; then echo "$side: $(grep Non-2xx <<<"$out")" >&2; exit 1; fi
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  rps[$side]+="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out") "
  p50[$side]+="$(awk '$1 == "50%" {print $2}' <<<"$out") "
  p99[$side]+="$(awk '$1 == "99%" {print $2}' <<<"$out") "
  cpu[$side]+="$(python3 -c "import os; print(round(($after - $before) / os.sysconf('SC_CLK_TCK') / $n * 1e6, 1))") "
}
for i in $(seq 1 "$RUNS"); do
  run wharf "$wharf_url" "$wharf_pid"
  # shellcheck disable=SC2086
  run nginx "$nginx_url" $nginx_pids
done

mean() { python3 -c "import sys; v=[float(x) for x in sys.argv[1:]]; print(round(sum(v)/len(v)))" "$@"; }
nginx_rss=0
for pid in $nginx_pids; do nginx_rss=$((nginx_rss + $(rss_mb "$pid"))); done
table() { # title wharf-side nginx-side
  local w n
  w=$(mean ${rps[$2]}); n=$(mean ${rps[$3]})
  echo
  echo "## $1, wrk -t2 -c$connections -d${seconds}s x $RUNS runs each, $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
  echo "| | requests/s (runs) | p50 (runs) | p99 (runs) | CPU µs/request (runs) | RSS after |"
  echo "|---|---|---|---|---|---|"
  echo "| Wharf, token-checked | ${rps[$2]}(mean $w) | ${p50[$2]}| ${p99[$2]}| ${cpu[$2]}| $(rss_mb "$wharf_pid") MB |"
  echo "| nginx, static file | ${rps[$3]}(mean $n) | ${p50[$3]}| ${p99[$3]}| ${cpu[$3]}| $nginx_rss MB (workers) |"
  echo "| Wharf / nginx | $(python3 -c "print(f'{100 * $w / $n:.0f} %')") | | | | |"
}
table "$bytes-byte file" wharf nginx

if [ "${METADATA:-0}" -gt 0 ]; then
  for v in $(seq 1 "$METADATA"); do
    mkdir -p "$work/meta/package"
    echo "{\"name\":\"metabench\",\"version\":\"1.0.$v\",\"description\":\"version $v\",\"dependencies\":{\"express\":\"^4.21.2\",\"lodash\":\"^4.17.21\"}}" \
      > "$work/meta/package/package.json"
    tar -czf "$work/meta.tgz" -C "$work/meta" package
    python3 - "$work/meta.tgz" "$work/meta.json" "1.0.$v" <<'PY'
import base64, hashlib, json, sys
data = open(sys.argv[1], 'rb').read(); version = sys.argv[3]
dist = {"integrity": "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode(),
        "shasum": hashlib.sha1(data).hexdigest(), "tarball": "http://x/metabench-%s.tgz" % version}
manifest = {"name": "metabench", "version": version, "_id": "metabench@" + version, "description": "version " + version,
            "dependencies": {"express": "^4.21.2", "lodash": "^4.17.21"}, "dist": dist}
body = {"_id": "metabench", "name": "metabench", "dist-tags": {"latest": version}, "versions": {version: manifest},
        "_attachments": {"metabench-%s.tgz" % version: {"content_type": "application/octet-stream",
                                                       "data": base64.b64encode(data).decode(), "length": len(data)}}}
json.dump(body, open(sys.argv[2], 'w'))
PY
    curl -sS --fail-with-body -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      --data-binary @"$work/meta.json" "${endpoint}metabench" >/dev/null
  done
  abbreviated="application/vnd.npm.install-v1+json"
  curl -sf -H "Authorization: Bearer $token" "${endpoint}metabench" -o "$work/www/metabench-full.json"
  curl -sf -H "Authorization: Bearer $token" -H "Accept: $abbreviated" "${endpoint}metabench" \
    -o "$work/www/metabench-abbreviated.json"
  chmod a+r "$work/www"/*.json
  printf 'wrk.headers["Authorization"] = "Bearer %s"\nwrk.headers["Accept"] = "%s"\n' "$token" "$abbreviated" \
    > "$work/abbreviated.lua"
  echo '-- no headers' > "$work/none.lua"
  for i in $(seq 1 "$RUNS"); do
    run wharf-full "${endpoint}metabench" "$wharf_pid"
    # shellcheck disable=SC2086
    LUA="$work/none.lua" run nginx-full "http://127.0.0.1:$NGINX_PORT/metabench-full.json" $nginx_pids
    LUA="$work/abbreviated.lua" run wharf-abbreviated "${endpoint}metabench" "$wharf_pid"
    # shellcheck disable=SC2086
    LUA="$work/none.lua" run nginx-abbreviated "http://127.0.0.1:$NGINX_PORT/metabench-abbreviated.json" $nginx_pids
  done
  table "full packument of $METADATA versions ($(stat -c %s "$work/www/metabench-full.json") bytes)" wharf-full nginx-full
  table "abbreviated packument of $METADATA versions ($(stat -c %s "$work/www/metabench-abbreviated.json") bytes)" \
    wharf-abbreviated nginx-abbreviated
fi
