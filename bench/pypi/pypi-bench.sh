#!/usr/bin/env bash
# The PyPI benchmark of issue 5, in one run:
#   bench/pypi/pypi-bench.sh
# Starts Wharf (`./wharf server` on a fresh data dir and a free port; the aws CLI with the root
# credentials of <data>/credentials creates domain `bench` and repository `py`, then
# get-authorization-token), then measures:
#   (a) simple/<project>/ of a generated project with $FILES files (one tiny wheel per version,
#       uploaded the way twine does by pypi_tool.py): wrk -t1 -c1 -d10s --latency, after a 3 s
#       warm-up, with Accept: application/vnd.pypi.simple.v1+json (PEP 691) and text/html (PEP 503)
#   (PIN=1 runs both servers on the last core and pip and poetry on the others, with taskset.)
#   (b) `pip install` of a dependency set ($PIP_SET, closure resolved with pip from the real wheels
#       in the machine's local index `files` folder, found from `pip config list`, or $WHEELS) from
#       Wharf and from nginx (Debian's, non-daemon, own prefix and config in the work dir, serving a
#       PEP 503 static layout of the same wheels with PEP 658 .metadata files) in the same run:
#       fresh venv each time, PIP_CONFIG_FILE=/dev/null, clean env, --no-cache-dir, $PIP_RUNS runs
#       each (alternating), median; also the resolve+download part from pip's own log, and the
#       same HTTP requests replayed by one keep-alive client (the server's share alone)
#   (c) memory: the server's VmRSS (/proc/PID/status every 0.2 s) while a generated $BIG_MB MiB
#       wheel is uploaded (twine when installed, else pypi_tool.py) and then downloaded by $CLIENTS
#       curl clients at once: before and max
#   (d) Debian's poetry 1.3 against the same two indexes of (b): a fresh project whose pyproject pins the
#       set's closure (poetry 1.3 reads no Requires-Dist from Metadata-Version 2.3+ wheels, so it would find
#       no dependencies of its own) with the index as its only source (default = true; Wharf's credentials
#       from POETRY_HTTP_BASIC_BENCH_USERNAME/PASSWORD), own HOME, config dir, cache dir and in-project
#       venv, keyring off; `poetry lock` then `poetry install --no-root` timed together, a cold cache and
#       a fresh venv each run, one warm-up run each, then $POETRY_RUNS runs each (alternating), median
# Env (defaults): FILES 2000 (0 skips a), PIP_SET "flask requests httpx pydantic", PIP_RUNS 5
#   (0 skips b), BIG_MB 500 (0 skips c), CLIENTS 4, POETRY_RUNS 3 (0 skips d), WHARF_BIN (default ./wharf),
#   KEEP=1 keeps the work dir.
# Needs: python3 with pip and venv, wrk, curl, jq, the aws CLI, nginx (apt-get install -y nginx wrk), for (d)
#   poetry (apt-get install -y python3-poetry).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
FILES="${FILES:-2000}"
PIP_SET="${PIP_SET:-flask requests httpx pydantic}"
PIP_RUNS="${PIP_RUNS:-5}"
BIG_MB="${BIG_MB:-500}"
CLIENTS="${CLIENTS:-4}"
POETRY_RUNS="${POETRY_RUNS:-3}"
WHARF_BIN="${WHARF_BIN:-$root/wharf}"
tool="$here/pypi_tool.py"
for t in python3 wrk curl jq aws; do command -v "$t" >/dev/null || { echo "needs $t" >&2; exit 1; }; done
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_work
rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null || true; }
# Times are kept as "MS MS ... " strings: their median (lib.sh), fastest, a summary, and the ratio of two medians.
median_of() { tr ' ' '\n' | grep . | median; }
fastest() { tr ' ' '\n' | grep . | sort -n | head -n1; }
runs_summary() { echo "$(echo "$1" | median_of) ms median, fastest $(echo "$1" | fastest) ms (runs: ${1% } ms)"; }
ratio() { python3 -c "print(f'{$(echo "$1" | median_of)/$(echo "$2" | median_of):.2f}')"; }
wrk_summary() { awk '/Requests\/sec/ {r=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad+=$NF}
  END {printf "%s %s %s %s\n", r, p50, p99, bad+0}' "$1"; }
declare -A RESULT
server_cpu=(); client_cpu=()
if [ -n "${PIN:-}" ]; then # PIN=1: servers on the last core, pip and poetry on the others (taskset)
  last=$(( $(nproc) - 1 )); server_cpu=(taskset -c "$last"); client_cpu=(taskset -c "0-$(( last > 0 ? last - 1 : 0 ))")
fi

# ---------------------------------------------------------------- Wharf
port=$(free_port)
data="$work/wharf-data"
WHARF_MAX_ASSET_SIZE=$(( (BIG_MB + 64) * 1024 * 1024 )) start_wharf "$port" "$data" ${server_cpu[@]+"${server_cpu[@]}"}
account=$(awsw sts get-caller-identity --query Account --output text)
awsw codeartifact create-domain --domain bench >/dev/null
awsw codeartifact create-repository --domain bench --domain-owner "$account" --repository py >/dev/null
token=$(awsw codeartifact get-authorization-token --domain bench --domain-owner "$account" \
  --query authorizationToken --output text)
endpoint=$(awsw codeartifact get-repository-endpoint --domain bench --domain-owner "$account" --repository py \
  --format pypi --query repositoryEndpoint --output text)
endpoint="${endpoint%/}/"
say "Wharf: pid $pid (java), endpoint $endpoint"
basic="Authorization: Basic $(printf 'aws:%s' "$token" | base64 -w0)"

# ---------------------------------------------------------------- (a) a project with $FILES files
if [ "$FILES" -gt 0 ]; then
  many=wharf-bench-many
  log "(a) simple/$many/ with $FILES files"
  s=$(date +%s)
  python3 "$tool" many "$work/many" "$many" "$FILES" >"$work/many.txt"
  say "generated $FILES wheels in $(( $(date +%s) - s )) s"
  s=$(date +%s)
  xargs -a "$work/many.txt" python3 "$tool" upload "$endpoint" "$token"
  say "uploaded them (one connection) in $(( $(date +%s) - s )) s"
  url="${endpoint}simple/$many/"
  for accept in "application/vnd.pypi.simple.v1+json" "text/html"; do
    kind=$([ "$accept" = text/html ] && echo html || echo json)
    curl -sf -H "$basic" -H "Accept: $accept" "$url" -o "$work/page.$kind"
    links=$(if [ "$kind" = json ]; then jq '.files | length' "$work/page.$kind"; else grep -c '<a href' "$work/page.$kind"; fi)
    [ "$links" = "$FILES" ] || { say "the $kind page lists $links files, not $FILES"; exit 1; }
    printf 'wrk.headers["Authorization"] = "%s"\nwrk.headers["Accept"] = "%s"\n' "${basic#Authorization: }" "$accept" >"$work/$kind.lua"
    wrk -t1 -c1 -d3s -s "$work/$kind.lua" "$url" >/dev/null
    wrk -t1 -c1 -d10s --latency -s "$work/$kind.lua" "$url" >"$work/wrk-$kind.txt"
    read -r rps p50 p99 bad < <(wrk_summary "$work/wrk-$kind.txt")
    RESULT[a.$kind]="p50 $p50, p99 $p99, $rps req/s ($(wc -c <"$work/page.$kind") bytes)"
    [ "$bad" = 0 ] || RESULT[a.$kind]+=" ($bad non-2xx!)"
    say "$kind: ${RESULT[a.$kind]}"
  done
fi

# ---------------------------------------------------------------- (b) pip install vs nginx
if [ "$PIP_RUNS" -gt 0 ] || [ "$POETRY_RUNS" -gt 0 ]; then # the set in Wharf and in nginx, for (b) and (d)
  if [ -z "${WHEELS:-}" ]; then # the local index's files folder, beside the simple/ that pip config names
    simple=$(pip config list 2>/dev/null | grep -o 'file://[^ '"'"']*/simple' | head -n1 | sed 's|^file://||')
    WHEELS="${simple%/simple}/files"
  fi
  [ -d "$WHEELS" ] || { echo "no wheels folder ($WHEELS): set WHEELS" >&2; exit 1; }
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "needs nginx (apt-get install -y nginx)" >&2; exit 1; }
  log "(b), (d): the closure of $PIP_SET from $WHEELS, into Wharf and nginx"
  clean_env=(env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work/home" PIP_CONFIG_FILE=/dev/null
    PIP_DISABLE_PIP_VERSION_CHECK=1 LANG=C.UTF-8)
  mkdir -p "$work/home" "$work/set"
  # shellcheck disable=SC2086
  "${clean_env[@]}" python3 -m pip download --no-cache-dir --no-index --find-links "$WHEELS" --only-binary :all: \
    -d "$work/set" $PIP_SET >"$work/download.log" 2>&1 || { tail "$work/download.log" >&2; exit 1; }
  count=$(ls "$work/set" | wc -l)
  say "$count wheels ($(du -sh "$work/set" | cut -f1)): $(ls "$work/set" | tr '\n' ' ')"
  python3 "$tool" upload "$endpoint" "$token" "$work/set"/*.whl
  python3 "$tool" static "$work/static" "$work/set"/*.whl
  nport=$(free_port)
  mkdir -p "$work/nginx/logs"
  cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 256; }
http {
  types { text/html html; application/octet-stream whl; text/plain metadata; }
  access_log off;
  sendfile on;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$nport;
    root $work/static;
    index index.html;
  }
}
NGINX
  ${server_cpu[@]+"${server_cpu[@]}"} /usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
  for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$nport/simple/" && break; sleep 0.1; done
  curl -sf -o /dev/null "http://127.0.0.1:$nport/simple/flask/" || { say "nginx does not serve the index"; exit 1; }
  say "nginx $(/usr/sbin/nginx -v 2>&1 | sed 's|.*/||') on port $nport"
  wharf_index="${endpoint/http:\/\//http://aws:$token@}simple/"
  nginx_index="http://127.0.0.1:$nport/simple/"
fi
if [ "$PIP_RUNS" -gt 0 ]; then
  # The same requests without pip (whose own CPU time dominates an install): one keep-alive client.
  projects=$(for f in "$work/set"/*.whl; do basename "$f" | sed 's/-.*//' | tr '_.' '--' | tr 'A-Z' 'a-z'; done)
  for side in wharf nginx; do
    index=$([ "$side" = wharf ] && echo "$wharf_index" || echo "$nginx_index")
    # shellcheck disable=SC2086
    python3 "$tool" replay "$index" 3 $projects >/dev/null # warm-up
    # shellcheck disable=SC2086
    RESULT[b.replay.$side]="$(python3 "$tool" replay "$index" 20 $projects) ms"
  done
  say "the $((count * 3)) requests of an install, replayed (median of 20): Wharf ${RESULT[b.replay.wharf]}, nginx ${RESULT[b.replay.nginx]}"
  declare -A TIMES FETCH
  for run in $(seq 1 "$PIP_RUNS"); do
    order="wharf nginx"; [ $((run % 2)) = 0 ] && order="nginx wharf" # alternate who goes first
    for side in $order; do
      index=$([ "$side" = wharf ] && echo "$wharf_index" || echo "$nginx_index")
      rm -rf "$work/venv"
      python3 -m venv "$work/venv"
      s=$(date +%s%N)
      # shellcheck disable=SC2086
      ${client_cpu[@]+"${client_cpu[@]}"} "${clean_env[@]}" "$work/venv/bin/pip" install --no-cache-dir --only-binary :all: --index-url "$index" \
        --log "$work/pip-$side-$run.debug" $PIP_SET >"$work/pip-$side-$run.log" 2>&1 || { say "$side: pip failed"; tail "$work/pip-$side-$run.log" >&2; exit 1; }
      TIMES[$side]+="$(( ($(date +%s%N) - s) / 1000000 )) "
      # the part the index serves: from pip's start to "Installing collected packages" (its log's clock)
      FETCH[$side]+="$(python3 - "$work/pip-$side-$run.debug" <<'PY'
import datetime, sys
lines = open(sys.argv[1]).read().splitlines()
stamp = lambda line: datetime.datetime.strptime(line[:23], "%Y-%m-%dT%H:%M:%S,%f")
end = next(l for l in lines if "Installing collected packages" in l)
print(int((stamp(end) - stamp(lines[0])).total_seconds() * 1000))
PY
) "
      installed=$("$work/venv/bin/pip" list --format=freeze 2>/dev/null | grep -vc '^pip==' || true)
    done
  done
  for side in wharf nginx; do
    RESULT[b.$side]="$(runs_summary "${TIMES[$side]}")"
    say "$side: ${RESULT[b.$side]}, $installed packages installed"
  done
  for side in wharf nginx; do
    RESULT[b.fetch.$side]="$(echo "${FETCH[$side]}" | median_of) ms median (runs: ${FETCH[$side]% } ms)"
  done
  say "resolve and download (pip's log, start to 'Installing collected packages'): Wharf ${RESULT[b.fetch.wharf]}; nginx ${RESULT[b.fetch.nginx]}"
  RESULT[b.ratio]="$(ratio "${TIMES[wharf]}" "${TIMES[nginx]}")"
  say "Wharf / nginx: ${RESULT[b.ratio]}x"
fi

# ---------------------------------------------------------------- (c) memory, big upload and download
if [ "$BIG_MB" -gt 0 ]; then
  big=wharf-bench-big
  wheel="$work/wharf_bench_big-1.0.$BIG_MB-py3-none-any.whl"
  log "(c) VmRSS while a $BIG_MB MiB wheel is uploaded, then downloaded by $CLIENTS clients at once"
  python3 "$tool" big "$wheel" "$big" "$BIG_MB"
  size=$(stat -c %s "$wheel")
  watch_rss() { # command... ; prints "before max seconds"
    local before max r s child
    before=$(rss_kb "$pid"); max="$before"; s=$(date +%s%N)
    "$@" >>"$work/watched.log" 2>&1 & child=$!
    while kill -0 "$child" 2>/dev/null; do
      r=$(rss_kb "$pid"); [ -n "$r" ] && [ "$r" -gt "$max" ] && max="$r"
      sleep 0.2
    done
    wait "$child" || { say "failed: $* (see below)"; tail -n 5 "$work/watched.log" >&2; return 1; }
    echo "$((before / 1024)) $((max / 1024)) $(( ($(date +%s%N) - s) / 1000000 ))"
  }
  if command -v twine >/dev/null; then
    printf '[distutils]\nindex-servers = wharf\n[wharf]\nrepository = %s\nusername = aws\npassword = %s\n' \
      "$endpoint" "$token" >"$work/pypirc"
    uploader=(env HOME="$work/home" twine upload --non-interactive --disable-progress-bar --config-file "$work/pypirc" -r wharf "$wheel")
    how="twine upload"
  else
    uploader=(python3 "$tool" upload "$endpoint" "$token" "$wheel"); how="pypi_tool.py upload"
  fi
  read -r before max ms < <(watch_rss "${uploader[@]}")
  RESULT[c.up]="before $before MB, max $max MB (+$((max - before)) MB); $how of $((size / 1048576)) MiB in $((ms / 1000)) s"
  say "upload: ${RESULT[c.up]}"
  url="${endpoint}simple/$big/$(basename "$wheel")"
  download() {
    local i; for i in $(seq 1 "$CLIENTS"); do
      curl -s -H "$basic" -o /dev/null -w '%{http_code} %{size_download}\n' "$url" >"$work/dl-$i.txt" &
    done; wait
  }
  read -r before max ms < <(watch_rss download)
  ok=$(cat "$work"/dl-*.txt | grep -c "^200 $size\$" || true)
  RESULT[c.down]="before $before MB, max $max MB (+$((max - before)) MB); $ok/$CLIENTS complete in $((ms / 1000)) s"
  say "download: ${RESULT[c.down]}"
fi

# ---------------------------------------------------------------- (d) poetry lock + install vs nginx
if [ "$POETRY_RUNS" -gt 0 ]; then
  command -v poetry >/dev/null || { echo "needs poetry (apt-get install -y python3-poetry)" >&2; exit 1; }
  log "(d) $(poetry --version 2>/dev/null): lock + install of the $count wheels, cold cache, $POETRY_RUNS runs each"
  # name = "==version" for each wheel of the closure (the file name's first two fields)
  pins=$(for f in "$work/set"/*.whl; do basename "$f" | awk -F- '{printf "%s = \"==%s\"\n", $1, $2}'; done)
  poetry_run() { # side run: prints "LOCK_MS TOTAL_MS INSTALLED"
    local side=$1 run=$2 proj="$work/poetry/$1-$2" url s lock
    url=$([ "$side" = wharf ] && echo "${endpoint}simple/" || echo "$nginx_index")
    rm -rf "$work/poetry"; mkdir -p "$proj" "$work/poetry/home"
    printf '[tool.poetry]\nname = "wharf-bench-poetry"\nversion = "0.1.0"\ndescription = ""\nauthors = ["bench <bench@example.invalid>"]\n\n[tool.poetry.dependencies]\npython = "^3.11"\n%s\n\n[[tool.poetry.source]]\nname = "bench"\nurl = "%s"\ndefault = true\n' \
      "$pins" "$url" >"$proj/pyproject.toml"
    local poetry=(env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work/poetry/home" LANG=C.UTF-8
      POETRY_CONFIG_DIR="$work/poetry/home/config" POETRY_CACHE_DIR="$work/poetry/home/cache"
      POETRY_VIRTUALENVS_IN_PROJECT=true POETRY_NO_INTERACTION=1 PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring)
    [ "$side" = wharf ] && poetry+=(POETRY_HTTP_BASIC_BENCH_USERNAME=aws POETRY_HTTP_BASIC_BENCH_PASSWORD="$token")
    cd "$proj"
    s=$(date +%s%N)
    ${client_cpu[@]+"${client_cpu[@]}"} "${poetry[@]}" poetry lock >"$work/poetry-$side-$run.log" 2>&1 \
      || { say "$side: poetry lock failed"; tail "$work/poetry-$side-$run.log" >&2; exit 1; }
    lock=$(( ($(date +%s%N) - s) / 1000000 ))
    ${client_cpu[@]+"${client_cpu[@]}"} "${poetry[@]}" poetry install --no-root >>"$work/poetry-$side-$run.log" 2>&1 \
      || { say "$side: poetry install failed"; tail "$work/poetry-$side-$run.log" >&2; exit 1; }
    echo "$lock $(( ($(date +%s%N) - s) / 1000000 )) $(.venv/bin/python -m pip list --format=freeze 2>/dev/null \
      | grep -vcE '^(pip|setuptools|wheel)==' || true)"
    cd "$root"
  }
  declare -A POETRY_TOTAL POETRY_LOCK
  for side in wharf nginx; do poetry_run "$side" 0 >/dev/null; done # warm-up, not counted
  for run in $(seq 1 "$POETRY_RUNS"); do
    order="wharf nginx"; [ $((run % 2)) = 0 ] && order="nginx wharf"
    for side in $order; do
      read -r lock total installed < <(poetry_run "$side" "$run")
      [ "$installed" = "$count" ] || { say "$side: poetry installed $installed packages, not $count"; exit 1; }
      POETRY_LOCK[$side]+="$lock "; POETRY_TOTAL[$side]+="$total "
      say "run $run $side: lock $lock ms, lock + install $total ms ($installed packages)"
    done
  done
  for side in wharf nginx; do
    RESULT[d.$side]="$(runs_summary "${POETRY_TOTAL[$side]}")"
    RESULT[d.lock.$side]="$(echo "${POETRY_LOCK[$side]}" | median_of) ms median (runs: ${POETRY_LOCK[$side]% } ms)"
    say "$side: lock + install ${RESULT[d.$side]}; lock ${RESULT[d.lock.$side]}"
  done
  RESULT[d.ratio]="$(ratio "${POETRY_TOTAL[wharf]}" "${POETRY_TOTAL[nginx]}")"
  say "Wharf / nginx: ${RESULT[d.ratio]}x"
fi
[ "$PIP_RUNS" -gt 0 ] || [ "$POETRY_RUNS" -gt 0 ] && kill %2 2>/dev/null || true # nginx

log "results ($(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
{
  echo "| measure | result |"
  echo "|---|---|"
  [ "$FILES" -gt 0 ] && echo "| (a) simple/<project>/, $FILES files, JSON (PEP 691), 1 conn | ${RESULT[a.json]} |"
  [ "$FILES" -gt 0 ] && echo "| (a) simple/<project>/, $FILES files, HTML (PEP 503), 1 conn | ${RESULT[a.html]} |"
  [ "$PIP_RUNS" -gt 0 ] && echo "| (b) pip install $PIP_SET ($count wheels), Wharf | ${RESULT[b.wharf]} |"
  [ "$PIP_RUNS" -gt 0 ] && echo "| (b) the same from nginx (static PEP 503) | ${RESULT[b.nginx]} |"
  [ "$PIP_RUNS" -gt 0 ] && echo "| (b) Wharf / nginx | ${RESULT[b.ratio]}x |"
  [ "$PIP_RUNS" -gt 0 ] && echo "| (b) of which resolve + download (pip's log), Wharf | ${RESULT[b.fetch.wharf]} |"
  [ "$PIP_RUNS" -gt 0 ] && echo "| (b) of which resolve + download (pip's log), nginx | ${RESULT[b.fetch.nginx]} |"
  [ "$PIP_RUNS" -gt 0 ] && echo "| (b) the requests of one install, replayed by one client, Wharf / nginx | ${RESULT[b.replay.wharf]} / ${RESULT[b.replay.nginx]} |"
  [ "$BIG_MB" -gt 0 ] && echo "| (c) server VmRSS, upload of a $BIG_MB MiB wheel | ${RESULT[c.up]} |"
  [ "$BIG_MB" -gt 0 ] && echo "| (c) server VmRSS, $CLIENTS clients download it | ${RESULT[c.down]} |"
  [ "$POETRY_RUNS" -gt 0 ] && echo "| (d) poetry lock + install of the $count wheels, Wharf | ${RESULT[d.wharf]} |"
  [ "$POETRY_RUNS" -gt 0 ] && echo "| (d) the same from nginx (static PEP 503) | ${RESULT[d.nginx]} |"
  [ "$POETRY_RUNS" -gt 0 ] && echo "| (d) Wharf / nginx | ${RESULT[d.ratio]}x |"
  [ "$POETRY_RUNS" -gt 0 ] && echo "| (d) of which poetry lock, Wharf / nginx | ${RESULT[d.lock.wharf]} / ${RESULT[d.lock.nginx]} |"
  true
}
