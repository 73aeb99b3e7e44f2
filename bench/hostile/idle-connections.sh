#!/usr/bin/env bash
# Ten thousand idle connections and a crowd of slow-loris clients against the others' latency (issue 18).
# Starts Wharf (launcher defaults, fresh data directory), publishes one npm package, then measures an
# authenticated packument read with wrk (CONNECTIONS connections, DURATION s, p50/p99/max and req/s):
#   baseline   nothing else connected
#   hostile    while a Python process holds IDLE connections that send nothing and LORIS connections that
#              send a request line and then one header byte every 2 s (never ending their headers)
# Then it waits for the server to shed them: the idle ones by the idle timeout (--idle-timeout, 30 s),
# the slow-loris ones by the request-header timeout (--request-header-timeout, 20 s, which a trickle does
# not restart), and reports how many each had closed, when, and the server's open files and threads
# before, during and after. A third wrk run after the shedding shows the server back at its baseline; then it
# waits (up to 120 s) for the server's threads to fall back to 80 or fewer.
#   bench/hostile/idle-connections.sh
# Env (defaults): IDLE 10000, LORIS 500, CONNECTIONS 16, DURATION 15 (seconds per wrk run),
#   WHARF_BIN (./wharf of this checkout), KEEP=1 keeps the work dir.
# Needs wrk, curl, python3, node, the aws CLI and a file limit (ulimit -n) above IDLE + LORIS + 100 for both
# this script's Python and the server (it raises its own soft limit when the hard one allows).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=../lib.sh
source "$root/bench/lib.sh"
WHARF_BIN="${WHARF_BIN:-$root/wharf}"
IDLE="${IDLE:-10000}"
LORIS="${LORIS:-500}"
CONNECTIONS="${CONNECTIONS:-16}"
DURATION="${DURATION:-15}"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -le $((IDLE + LORIS + 100)) ]; then
  ulimit -n $((IDLE + LORIS + 1000)) 2>/dev/null \
    || { echo "needs ulimit -n above $((IDLE + LORIS + 100)), have $(ulimit -n)" >&2; exit 1; }
fi

bench_work
port=$(free_port)
start_wharf "$port" "$work/data"
bench_repository app npm
mkdir -p "$work/pkg/package"
echo '{"name":"idle-target","version":"1.0.0"}' >"$work/pkg/package/package.json"
tar -czf "$work/idle-target-1.0.0.tgz" -C "$work/pkg" package
printf 'idle-target\t1.0.0\t%s\n' "$work/idle-target-1.0.0.tgz" | node "$root/bench/npm/npm-put.mjs" "$endpoint" "$token" >/dev/null
url="${endpoint%/}/idle-target"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url")" = 200 ]

server_state() { # open files and threads of the server
  # shellcheck disable=SC2012 # only counted
  echo "open files $(ls "/proc/$pid/fd" | wc -l), threads $(awk '/^Threads:/ {print $2}' "/proc/$pid/status")"
}
measure() { # name -> one line: req/s, p50, p99, max, non-2xx, socket errors
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -H "Authorization: Bearer $token" "$url")
  echo "$out" >"$work/wrk-$1.txt"
  printf '%-9s %s req/s, p50 %s, p99 %s, max %s, non-2xx %s, socket errors %s\n' "$1" \
    "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1 == "50%" {print $2}')" \
    "$(echo "$out" | awk '$1 == "99%" {print $2}')" "$(echo "$out" | awk '$1 == "Latency" {print $4}')" \
    "$(echo "$out" | awk '/Non-2xx/ {print $5}' | grep . || echo 0)" \
    "$(echo "$out" | awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' | grep . || echo 0)"
}

log "warm-up and baseline: wrk, $CONNECTIONS connections, ${DURATION}s"
wrk -t2 -c"$CONNECTIONS" -d5s -H "Authorization: Bearer $token" "$url" >/dev/null
baseline=$(measure baseline)
say "$baseline; server $(server_state)"

log "opening $IDLE idle and $LORIS slow-loris connections"
python3 - "$port" "$IDLE" "$LORIS" "$work/holder" <<'PY' &
import selectors, socket, sys, time
port, idle_count, loris_count, state = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
start = time.monotonic()
idle, loris = [], []
for _ in range(idle_count):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setblocking(False)
    idle.append(s)
for _ in range(loris_count):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: ")
    s.setblocking(False)
    loris.append(s)
opened = time.monotonic() - start
with open(state + ".ready", "w") as f:
    f.write(f"{opened:.1f}\n")
# watch for the server closing them; trickle a header byte on every slow-loris connection every 2 s
sel = selectors.DefaultSelector()
for kind, group in (("idle", idle), ("loris", loris)):
    for s in group:
        sel.register(s, selectors.EVENT_READ, kind)
closed = {"idle": [], "loris": []}
alive = {"idle": len(idle), "loris": len(loris)}
next_trickle = time.monotonic() + 2
while alive["idle"] + alive["loris"] > 0 and time.monotonic() - start < 120:
    for key, _ in sel.select(timeout=0.5):
        try:
            data = key.fileobj.recv(4096)
        except BlockingIOError:
            continue
        except ConnectionResetError:
            data = b""
        if data == b"":
            closed[key.data].append(time.monotonic() - start)
            alive[key.data] -= 1
            sel.unregister(key.fileobj)
            key.fileobj.close()
    if time.monotonic() >= next_trickle:
        for s in loris:
            if s.fileno() >= 0:
                try:
                    s.send(b"a")
                except OSError:
                    pass
        next_trickle += 2
def when(times):
    return f"first at {min(times):.0f} s, last at {max(times):.0f} s" if times else "none"
with open(state + ".done", "w") as f:
    f.write(f"opened {idle_count} idle and {loris_count} slow-loris connections in {opened:.1f} s; server closed "
            f"{len(closed['idle'])} idle ({when(closed['idle'])}) and {len(closed['loris'])} slow-loris "
            f"({when(closed['loris'])}) of them within {time.monotonic() - start:.0f} s\n")
PY
holder=$!
for _ in $(seq 1 600); do [ -f "$work/holder.ready" ] && break; kill -0 "$holder" || exit 1; sleep 0.1; done
[ -f "$work/holder.ready" ] || { echo "the connections did not open" >&2; exit 1; }
say "opened in $(cat "$work/holder.ready") s; server $(server_state)"
log "with them held: wrk, $CONNECTIONS connections, ${DURATION}s"
hostile=$(measure hostile)
say "$hostile; server $(server_state)"
log "waiting for the server to close them"
wait "$holder"
shed=$(cat "$work/holder.done")
say "$shed; server $(server_state)"
after=$(measure after)
say "$after; server $(server_state)"
# Jetty's thread pool grew for the burst; its idle threads leave after its idle timeout (60 s)
baseline_threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
for waited in $(seq 1 120); do
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
  [ "$threads" -le 80 ] && break
  sleep 1
done
settled="threads $baseline_threads after the third run, $threads ${waited} s later"
say "$settled"

log "summary ($(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
printf '%s\n%s\n%s\n%s\n%s\n' "$baseline" "$hostile" "$after" "$shed" "$settled"
for run in baseline hostile after; do
  if grep -q -E 'Non-2xx|Socket errors' "$work/wrk-$run.txt"; then
    echo "$run: errors" >&2
    exit 1
  fi
done
