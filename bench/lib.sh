# Shared by the benchmark scripts (source it after `set -euo pipefail`): a work directory removed on exit,
# log lines, a free port, and a Wharf server started on a fresh data directory with the aws CLI set up
# for its root credentials.
#   bench_work                      makes $work (755: nginx's workers read below it) and removes it on exit
#                                   unless KEEP=1; background jobs are stopped then
#   start_wharf PORT DATA [CMD...]  runs [CMD...] $WHARF_BIN server on PORT with DATA, waits for /health,
#                                   sets $pid and $wharf_pid (the JVM listening on PORT; killed at exit, after 20 s with SIGKILL); awsw runs the aws CLI against it
#   bench_repository REPO FORMAT    in the started Wharf: domain bench, repository REPO; sets $account, $token
#                                   and $endpoint (REPO's endpoint for FORMAT)
#   alternate RUNS FUNCTION WHAT    runs FUNCTION wharf and FUNCTION nginx once each to warm up, then RUNS times
#                                   in turn (FUNCTION prints "COUNT SECONDS"); sets $median_wharf, $median_nginx
#   document_rows NAME AUTH URL NGINX_URL  prints two table rows for one document: wrk on one connection (p50,
#                                   p99) and on 64 connections (req/s), Wharf with header AUTH against nginx
#   start_nginx PORT ROOT [DIRECTIVE...]  nginx serving ROOT as static files on PORT (worker_processes auto,
#                                   sendfile, no access log, keep-alive without a request limit), each
#                                   DIRECTIVE added to its http block; its pid file is $work/nginx.pid
# shellcheck shell=bash

log() { printf '\n== %s\n' "$*" >&2; }
say() { printf '   %s\n' "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

bench_cleanup() {
  local p _
  for p in $(jobs -p) ${wharf_pid:-}; do kill "$p" 2>/dev/null || true; done
  # A server that cannot stop (its heap full, say) must not outlive the benchmark: it would take a core from the
  # next one. One did, for two hours, after a failed soak. 20 s to stop, then killed.
  for _ in $(seq 1 100); do
    [ -z "$(jobs -pr)" ] && { [ -z "${wharf_pid:-}" ] || ! kill -0 "$wharf_pid" 2>/dev/null; } && break
    sleep 0.2
  done
  for p in $(jobs -pr) ${wharf_pid:-}; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "work dir kept: $work" >&2; else rm -rf "$work"; fi
}

bench_work() {
  work="$(mktemp -d)"
  chmod 755 "$work"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

start_wharf() {
  wharf_port=$1 wharf_data=$2
  shift 2
  log "start Wharf ($WHARF_BIN server --port $wharf_port)"
  "$@" "$WHARF_BIN" server --port "$wharf_port" --data "$wharf_data" --bind 127.0.0.1 >"$work/wharf.log" 2>&1 &
  local launcher=$!
  for _ in $(seq 1 3000); do
    curl -sf -o /dev/null "http://127.0.0.1:$wharf_port/health" && break
    kill -0 "$launcher" 2>/dev/null || { tail -n 20 "$work/wharf.log" >&2; exit 1; }
    sleep 0.2
  done
  pid=$(ss -ltnpH "sport = :$wharf_port" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n1)
  [ -n "$pid" ] || { echo "Wharf does not listen on $wharf_port" >&2; exit 1; }
  wharf_pid=$pid
}

awsw() {
  AWS_SHARED_CREDENTIALS_FILE="$wharf_data/credentials" AWS_CONFIG_FILE="$wharf_data/config" \
    aws --endpoint-url "http://127.0.0.1:$wharf_port" "$@"
}

start_nginx() {
  local port=$1 root=$2 directive
  shift 2
  mkdir -p "$work/nginx"
  {
    printf 'daemon off;\nuser root;\nworker_processes auto;\npid %s/nginx.pid;\nerror_log %s/nginx/error.log;\n' \
      "$work" "$work"
    printf 'events { worker_connections 1024; }\nhttp {\n  access_log off;\n  sendfile on;\n'
    printf '  keepalive_requests 1000000;\n  default_type text/plain;\n'
    for directive in "$@"; do
      case "$directive" in *'}') printf '  %s\n' "$directive" ;; *) printf '  %s;\n' "$directive" ;; esac
    done
    for temp in client_body proxy fastcgi uwsgi scgi; do printf '  %s_temp_path %s/nginx/%s;\n' "$temp" "$work" "$temp"; done
    printf '  server { listen 127.0.0.1:%s; root %s; }\n}\n' "$port" "$root"
  } >"$work/nginx/nginx.conf"
  log "start $(nginx -v 2>&1 | sed 's/.*: //') on port $port"
  nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

alternate() {
  local runs=$1 run=$2 what=$3 i side count seconds
  "$run" wharf >/dev/null; "$run" nginx >/dev/null
  : >"$work/times-wharf"; : >"$work/times-nginx"
  for i in $(seq 1 "$runs"); do
    for side in wharf nginx; do
      read -r count seconds < <("$run" "$side")
      echo "$seconds" >>"$work/times-$side"
      say "run $i $side $seconds s ($count $what)"
    done
  done
  median_wharf=$(median <"$work/times-wharf"); median_nginx=$(median <"$work/times-nginx")
}

document_rows() {
  local name=$1 auth=$2 url=$3 nginx=$4 w1 n1 w64 n64
  one() { wrk -t1 -c1 -d3s "$@" >/dev/null; wrk -t1 -c1 -d10s --latency "$@"; }
  many() { wrk -t2 -c64 -d5s "$@" >/dev/null; wrk -t2 -c64 -d10s "$@"; }
  pct() { echo "$1" | awk -v p="$2" '$1 == p {print $2}'; }
  rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
  w1=$(one -H "$auth" "$url"); n1=$(one "$nginx")
  w64=$(many -H "$auth" "$url"); n64=$(many "$nginx")
  printf '| (a) %s, one connection, p50 / p99 | %s / %s | %s / %s | |\n' "$name" "$(pct "$w1" 50%)" "$(pct "$w1" 99%)" \
    "$(pct "$n1" 50%)" "$(pct "$n1" 99%)"
  printf '| (a) %s, 64 connections (req/s) | %s | %s | %.0f%% |\n' "$name" "$(rps "$w64")" "$(rps "$n64")" \
    "$(echo "100 * $(rps "$w64") / $(rps "$n64")" | bc -l)"
}

bench_repository() {
  account=$(awsw sts get-caller-identity --query Account --output text)
  awsw codeartifact create-domain --domain bench >/dev/null
  awsw codeartifact create-repository --domain bench --repository "$1" >/dev/null
  token=$(awsw codeartifact get-authorization-token --domain bench --domain-owner "$account" \
    --query authorizationToken --output text)
  endpoint=$(awsw codeartifact get-repository-endpoint --domain bench --domain-owner "$account" \
    --repository "$1" --format "$2" --query repositoryEndpoint --output text)
}
