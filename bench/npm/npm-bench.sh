#!/usr/bin/env bash
# The npm benchmark of issue 4: Wharf and Verdaccio 6.8.0 (auth on) side by side, in one run.
#   bench/npm/npm-bench.sh
# Starts Wharf (`./wharf server` on a fresh data dir; root credentials from <data>/credentials
# drive the aws CLI: create-domain, create-repository, get-authorization-token) and Verdaccio
# (bench/npm/verdaccio.sh), publishes the real tree of fetch-tree.sh to both, then measures:
#   (a) tarball GETs: wrk, $CONNECTIONS connections, $DURATION s (after a 5 s warm-up), one
#       mid-size tarball of the tree (the median by size), bearer token in a Lua script: req/s, p50, p99
#   (b) abbreviated packument (Accept: application/vnd.npm.install-v1+json) of a generated package
#       with $VERSIONS versions: p50 and p99 over 10 s on one connection (wrk)
#   (c) `npm ci` of a project depending on express@4.21.2, its lockfile's `resolved` URLs rewritten
#       to each registry's tarball URLs (read from its packuments), fresh npm cache each run:
#       median of $CI_RUNS runs (npm ci also checks every integrity hash)
#   (d) memory: the server's RSS (ps, every 0.5 s) while $CLIENTS curl clients download a generated
#       $BIG_MB MB tarball (a random file inside) at once: before and max
# and prints a table. Where Wharf's npm endpoint is not there yet (GET {repo}/-/ping is not 200),
# every step says so and runs the Verdaccio side alone.
# Env (defaults): WHARF_PORT 18480, VERDACCIO_PORT 18481, DURATION 20, CONNECTIONS 64,
#   VERSIONS 1000 (0 skips b), CI_RUNS 3 (0 skips c), CLIENT_RUNS 3 (0 skips e: pnpm 10.34.9 and yarn 4.18.1
#   installs of the same tree, fetched into the work dir from the npm registry), BIG_MB 200 (0 skips d), CLIENTS 20,
#   SIDES "wharf verdaccio", WHARF_BIN (the launcher, default ./wharf of this checkout),
#   KEEP=1 keeps the work dir (printed) after the run.
# Needs: node + npm, wrk, jq, curl, the aws CLI, ss; first run also the npm registry (fetches).
set -euo pipefail
npmdir="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$npmdir/../.." && pwd)"
WHARF_PORT="${WHARF_PORT:-18480}"
VERDACCIO_PORT="${VERDACCIO_PORT:-18481}"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-64}"
VERSIONS="${VERSIONS:-1000}"
CI_RUNS="${CI_RUNS:-3}"
CLIENT_RUNS="${CLIENT_RUNS:-3}"
BIG_MB="${BIG_MB:-200}"
CLIENTS="${CLIENTS:-20}"
SIDES="${SIDES:-wharf verdaccio}"
WHARF_BIN="${WHARF_BIN:-$root/wharf}"
for tool in node npm wrk jq curl ss; do
  command -v "$tool" >/dev/null || { echo "needs $tool${tool/wrk/ (apt-get install -y wrk)}" >&2; exit 1; }
done

work="$(mktemp -d)"
vdir="$work/verdaccio"
cleanup() {
  "$npmdir/verdaccio.sh" stop "$VERDACCIO_PORT" "$vdir" 2>/dev/null || true
  local p; for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "work dir kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '\n== %s\n' "$*" >&2; }
say() { printf '   %s\n' "$*" >&2; }
declare -A URL TOKEN READY RESULT
label() { [ "$1" = wharf ] && echo Wharf || echo Verdaccio; }
listener_pid() { ss -ltnpH "sport = :$1" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n1; }
rss_kb() { ps -o rss= -p "$1" 2>/dev/null | tr -d ' ' || true; }
port_of() { [ "$1" = wharf ] && echo "$WHARF_PORT" || echo "$VERDACCIO_PORT"; }
auth_curl() { local side="$1"; shift; curl -s -H "Authorization: Bearer ${TOKEN[$side]}" "$@"; }
escaped() { case "$1" in @*/*) echo "${1%%/*}%2f${1#*/}" ;; *) echo "$1" ;; esac; }
abbrev='application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*'

# Is the side's npm endpoint there? Says why not, once per step.
ready() { # side step-name
  local side="$1" code
  [ -n "${URL[$side]:-}" ] || { say "$(label "$side"): skipped for $2 (${READY[$side]:-not started})"
    RESULT[$side.why]="${READY[$side]:-not started}"; return 1; }
  code=$(auth_curl "$side" -o /dev/null -w '%{http_code}' "${URL[$side]}-/ping" || true)
  if [ "$code" != 200 ]; then
    say "$(label "$side"): skipped for $2: its npm endpoint is not available yet (GET ${URL[$side]}-/ping -> $code)"
    RESULT[$side.why]="pending: npm endpoint not available (-/ping $code)"
    return 1
  fi
}

# ---------------------------------------------------------------- the data
log "fetch the real tree (bench/npm/fetch-tree.sh)"
"$npmdir/fetch-tree.sh" >&2
tree="$npmdir/.cache/tree"
synth="$npmdir/.cache/synthetic"
mkdir -p "$synth"

make_tgz() { # dir-with-package/ out.tgz  (reproducible bytes)
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$1" -cf - package | gzip -n -1 >"$2.tmp"
  mv "$2.tmp" "$2"
}
pkgjson() { printf '{"name":"%s","version":"%s","description":"Wharf npm benchmark package %s","license":"MIT"}\n' "$1" "$2" "$1"; }
many=wharf-bench-many
if [ "$VERSIONS" -gt 0 ]; then
  mkdir -p "$synth/many"
  n=0; t=$(date +%s)
  for i in $(seq 0 $((VERSIONS - 1))); do
    v="1.$((i / 100)).$((i % 100))"
    f="$synth/many/$many-$v.tgz"
    if [ ! -f "$f" ]; then
      d="$work/gen"; rm -rf "$d"; mkdir -p "$d/package"
      pkgjson "$many" "$v" >"$d/package/package.json"
      echo "module.exports = '$v';" >"$d/package/index.js"
      make_tgz "$d" "$f"; n=$((n + 1))
    fi
    printf '%s\t%s\t%s\n' "$many" "$v" "$f"
  done >"$work/many.tsv"
  [ "$n" = 0 ] || say "generated $n tarballs of $many in $(( $(date +%s) - t )) s"
fi
big=wharf-bench-big
bigtgz="$synth/$big-$BIG_MB.tgz"
if [ "$BIG_MB" -gt 0 ] && [ ! -f "$bigtgz" ]; then
  t=$(date +%s); d="$work/gen"; rm -rf "$d"; mkdir -p "$d/package"
  pkgjson "$big" "1.0.$BIG_MB" >"$d/package/package.json"
  head -c "$((BIG_MB * 1024 * 1024))" /dev/urandom >"$d/package/blob.bin"
  make_tgz "$d" "$bigtgz"; rm -rf "$d"
  say "generated $bigtgz ($(du -m "$bigtgz" | cut -f1) MB) in $(( $(date +%s) - t )) s"
fi

# ---------------------------------------------------------------- the servers
if [[ " $SIDES " == *" wharf "* ]]; then
  log "start Wharf ($WHARF_BIN server --port $WHARF_PORT)"
  data="$work/wharf-data"
  "$WHARF_BIN" server --port "$WHARF_PORT" --data "$data" --bind 127.0.0.1 >"$work/wharf.log" 2>&1 &
  wharf_launcher=$!
  for _ in $(seq 1 3000); do # a first start may build the jar
    curl -sf -o /dev/null "http://127.0.0.1:$WHARF_PORT/health" && break
    kill -0 "$wharf_launcher" 2>/dev/null || break
    sleep 0.2
  done
  if curl -sf -o /dev/null "http://127.0.0.1:$WHARF_PORT/health"; then
    awsw() { AWS_SHARED_CREDENTIALS_FILE="$data/credentials" AWS_CONFIG_FILE="$data/config" \
      aws --endpoint-url "http://127.0.0.1:$WHARF_PORT" "$@"; }
    account=$(awsw sts get-caller-identity --query Account --output text)
    awsw codeartifact create-domain --domain bench >/dev/null
    awsw codeartifact create-repository --domain bench --domain-owner "$account" --repository tree >/dev/null
    TOKEN[wharf]=$(awsw codeartifact get-authorization-token --domain bench --domain-owner "$account" \
      --query authorizationToken --output text)
    URL[wharf]=$(awsw codeartifact get-repository-endpoint --domain bench --domain-owner "$account" \
      --repository tree --format npm --query repositoryEndpoint --output text 2>/dev/null \
      || echo "http://127.0.0.1:$WHARF_PORT/bench-$account/npm/tree/")
    URL[wharf]="${URL[wharf]%/}/"
    say "Wharf: pid $(listener_pid "$WHARF_PORT"), account $account, npm endpoint ${URL[wharf]}"
  else
    READY[wharf]="Wharf did not start: see the end of its log below"
    tail -n 20 "$work/wharf.log" >&2
  fi
else
  READY[wharf]="not in SIDES"
fi
if [[ " $SIDES " == *" verdaccio "* ]]; then
  log "start Verdaccio 6.8.0 (bench/npm/verdaccio.sh start $VERDACCIO_PORT $vdir)"
  TOKEN[verdaccio]=$("$npmdir/verdaccio.sh" start "$VERDACCIO_PORT" "$vdir")
  URL[verdaccio]="http://127.0.0.1:$VERDACCIO_PORT/"
  say "Verdaccio: pid $(listener_pid "$VERDACCIO_PORT"), registry ${URL[verdaccio]}"
else
  READY[verdaccio]="not in SIDES"
fi
write_npmrc() { # side file
  local nerf="${URL[$1]#http:}"
  printf 'registry=%s\n%s:_authToken=%s\nfund=false\naudit=false\nupdate-notifier=false\n' \
    "${URL[$1]}" "$nerf" "${TOKEN[$1]}" >"$2"
}

install_summary() { # project times-in-ms... : "MEDIAN ms (runs: ...; N packages)" of the installs into project
  local proj="$1"; shift
  local installed median
  installed=$(find "$proj/node_modules" -type f -name package.json | grep -Ec 'node_modules/(@[^/]+/)?[^/]+/package.json$' || true)
  median=$(printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p")
  echo "$median ms (runs: $* ms; $installed packages)"
}

# ---------------------------------------------------------------- publish
log "publish the tree ($(wc -l <"$tree/packages.tsv") packages) with npm publish"
declare -A TREE_OK
for side in wharf verdaccio; do
  ready "$side" "publishing" || continue
  t=$(date +%s)
  if "$npmdir/publish-tree.sh" "${URL[$side]}" "${TOKEN[$side]}" >"$work/publish-$side.log" 2>&1; then
    TREE_OK[$side]=1
  fi
  say "$(label "$side"): $(tail -n 1 "$work/publish-$side.log")"
  [ -n "${TREE_OK[$side]:-}" ] || grep -m 5 FAILED "$work/publish-$side.log" | sed 's/^/     /' >&2 || true
  RESULT[$side.publish]="$(( $(date +%s) - t )) s"
done
if [ "$VERSIONS" -gt 0 ]; then
  log "publish $VERSIONS versions of $many (PUT as npm does, one connection; bench/npm/npm-put.mjs)"
  for side in wharf verdaccio; do
    ready "$side" "publishing $many" || continue
    t=$(date +%s)
    say "$(label "$side"): $(node "$npmdir/npm-put.mjs" "${URL[$side]}" "${TOKEN[$side]}" <"$work/many.tsv" 2>"$work/many-$side.err" || true) in $(( $(date +%s) - t )) s"
    head -n 3 "$work/many-$side.err" | sed 's/^/     /' >&2
  done
fi
if [ "$BIG_MB" -gt 0 ]; then
  log "publish the $BIG_MB MB tarball ($big, streamed PUT)"
  for side in wharf verdaccio; do
    ready "$side" "publishing $big" || continue
    t=$(date +%s)
    say "$(label "$side"): $(printf '%s\t%s\t%s\n' "$big" "1.0.$BIG_MB" "$bigtgz" \
      | node "$npmdir/npm-put.mjs" "${URL[$side]}" "${TOKEN[$side]}" 2>&1 | tr '\n' ' ') in $(( $(date +%s) - t )) s"
  done
fi

tarball_url() { # side name version -> the packument's dist.tarball
  auth_curl "$1" -H "Accept: $abbrev" "${URL[$1]}$(escaped "$2")" | jq -r --arg v "$3" '.versions[$v].dist.tarball // empty'
}
wrk_lua() { # side out [accept]
  { echo "wrk.headers[\"Authorization\"] = \"Bearer ${TOKEN[$1]}\""
    [ -z "${3:-}" ] || echo "wrk.headers[\"Accept\"] = \"$3\""; } >"$2"
}
wrk_summary() { # wrk --latency output file -> "req/s p50 p99 non2xx+socket-errors"
  awk '/Requests\/sec/ {r=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad+=$NF}
       /Socket errors/ {gsub(",", ""); bad+=$4+$6+$8+$10}
       END {printf "%s %s %s %s\n", r, p50, p99, bad+0}' "$1"
}

# ---------------------------------------------------------------- (a) tarball GETs
mid=$(sort -t$'\t' -k1,1 "$tree/packages.tsv" | while IFS=$'\t' read -r spec _ file; do
  printf '%s\t%s\n' "$(stat -c %s "$npmdir/.cache/tarballs/$file")" "$spec"; done | sort -n \
  | sed -n "$(( ($(wc -l <"$tree/packages.tsv") + 1) / 2 ))p")
mid_size="${mid%%$'\t'*}"; mid_spec="${mid#*$'\t'}"
mid_name="${mid_spec%@*}"; mid_version="${mid_spec##*@}"
log "(a) tarball GETs: $mid_spec ($mid_size bytes), wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency after a 5 s warm-up"
for side in wharf verdaccio; do
  ready "$side" "(a)" || continue
  [ -n "${TREE_OK[$side]:-}" ] || { say "$(label "$side"): skipped for (a): the tree did not publish"; continue; }
  url=$(tarball_url "$side" "$mid_name" "$mid_version")
  [ -n "$url" ] || { say "$(label "$side"): no dist.tarball for $mid_spec in its packument"; continue; }
  got=$(auth_curl "$side" "$url" | wc -c)
  [ "$got" = "$mid_size" ] || { say "$(label "$side"): GET $url gave $got bytes, not $mid_size"; continue; }
  wrk_lua "$side" "$work/tgz-$side.lua"
  wrk -t2 -c"$CONNECTIONS" -d5s -s "$work/tgz-$side.lua" "$url" >/dev/null
  sleep 1
  load=$(cut -d' ' -f1 /proc/loadavg)
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/tgz-$side.lua" "$url" >"$work/wrk-a-$side.txt"
  read -r rps p50 p99 bad < <(wrk_summary "$work/wrk-a-$side.txt")
  RESULT[$side.a]="$rps req/s, p50 $p50, p99 $p99"
  [ "$bad" = 0 ] || RESULT[$side.a]+=" ($bad non-2xx or socket errors!)"
  say "$(label "$side"): ${RESULT[$side.a]} (load average $load at the start) - $url"
done

# ---------------------------------------------------------------- (b) abbreviated packument
if [ "$VERSIONS" -gt 0 ]; then
  log "(b) abbreviated packument of $many ($VERSIONS versions): wrk -t1 -c1 -d10s --latency after a 3 s warm-up"
  for side in wharf verdaccio; do
    ready "$side" "(b)" || continue
    url="${URL[$side]}$many"
    auth_curl "$side" -H "Accept: $abbrev" -D "$work/b-$side.headers" "$url" >"$work/b-$side.json"
    count=$(jq '.versions | length' "$work/b-$side.json" 2>/dev/null || echo 0)
    [ "$count" = "$VERSIONS" ] || { say "$(label "$side"): the packument lists $count versions, not $VERSIONS"; continue; }
    ctype=$(sed -n 's/^[Cc]ontent-[Tt]ype: *\([^;[:space:]]*\).*/\1/p' "$work/b-$side.headers" | tail -n 1)
    wrk_lua "$side" "$work/pk-$side.lua" "$abbrev"
    wrk -t1 -c1 -d3s -s "$work/pk-$side.lua" "$url" >/dev/null
    wrk -t1 -c1 -d10s --latency -s "$work/pk-$side.lua" "$url" >"$work/wrk-b-$side.txt"
    read -r rps p50 p99 bad < <(wrk_summary "$work/wrk-b-$side.txt")
    RESULT[$side.b]="p50 $p50, p99 $p99 ($(wc -c <"$work/b-$side.json") bytes, $ctype)"
    [ "$bad" = 0 ] || RESULT[$side.b]+=" ($bad non-2xx or socket errors!)"
    say "$(label "$side"): ${RESULT[$side.b]}"
  done
fi

# ---------------------------------------------------------------- (c) npm ci
if [ "$CI_RUNS" -gt 0 ]; then
  log "(c) npm ci of $(jq -r '.dependencies | to_entries[0] | .key + "@" + .value' "$tree/package.json") from each registry, fresh cache, median of $CI_RUNS"
  for side in wharf verdaccio; do
    ready "$side" "(c)" || continue
    [ -n "${TREE_OK[$side]:-}" ] || { say "$(label "$side"): skipped for (c): the tree did not publish"; continue; }
    proj="$work/ci-$side"; mkdir -p "$proj/packuments"
    cp "$tree/package.json" "$proj/"
    # every package gets `resolved` = the registry's own tarball URL, read from its packuments
    jq -r '.packages | to_entries[] | select(.key != "" and .value.link != true and .value.version) | (.value.name // (.key | sub(".*node_modules/"; "")))' \
      "$tree/package-lock.json" | sort -u | while read -r name; do
      auth_curl "$side" -H "Accept: $abbrev" "${URL[$side]}$(escaped "$name")" \
        | jq -c --arg n "$name" '{($n): (.versions | map_values(.dist.tarball))}'
    done | jq -s 'add' >"$proj/tarballs.json"
    jq --slurpfile t "$proj/tarballs.json" '.packages |= with_entries(
        if .key != "" and .value.link != true and .value.version then
          (.value.name // (.key | sub(".*node_modules/"; ""))) as $n
          | .value.resolved = ($t[0][$n][.value.version] // error("no tarball for \($n)@\(.value.version)"))
        else . end)' "$tree/package-lock.json" >"$proj/package-lock.json"
    write_npmrc "$side" "$work/npmrc-$side"
    times=()
    for run in $(seq 1 "$CI_RUNS"); do
      rm -rf "$proj/node_modules" "$work/ci-cache-$side"
      s=$(date +%s%N)
      if ! (cd "$proj" && npm ci --userconfig "$work/npmrc-$side" --cache "$work/ci-cache-$side" \
              --ignore-scripts --no-audit --no-fund --loglevel=error >"$work/ci-$side-$run.log" 2>&1); then
        say "$(label "$side"): npm ci failed (run $run):"; tail -n 8 "$work/ci-$side-$run.log" | sed 's/^/     /' >&2
        times=(); break
      fi
      times+=($(( ($(date +%s%N) - s) / 1000000 )))
    done
    [ "${#times[@]}" -gt 0 ] || continue
    RESULT[$side.c]=$(install_summary "$proj" "${times[@]}")
    say "$(label "$side"): ${RESULT[$side.c]}"
  done
fi

# ---------------------------------------------------------------- (e) pnpm and yarn 4
# The same project (express@4.21.2) installed without a lockfile, so each client resolves the tree from the
# registry's packuments; a fresh store, cache and node_modules each run (as cold as (c)).
if [ "$CLIENT_RUNS" -gt 0 ]; then
  clients="$work/clients"
  log "(e) pnpm 10.34.9 and yarn 4.18.1 installs of the tree from each registry, fresh store, median of $CLIENT_RUNS"
  npm install --prefix "$clients" --no-audit --no-fund --loglevel=error pnpm@10.34.9 @yarnpkg/cli-dist@4.18.1 >/dev/null
  for client in pnpm yarn4; do
    for side in wharf verdaccio; do
      ready "$side" "(e)" || continue
      [ -n "${TREE_OK[$side]:-}" ] || { say "$(label "$side"): skipped for (e): the tree did not publish"; continue; }
      times=()
      for run in $(seq 1 "$CLIENT_RUNS"); do
        proj="$work/$client-$side"; rm -rf "$proj"; mkdir -p "$proj"
        cp "$tree/package.json" "$proj/"
        if [ "$client" = pnpm ]; then
          write_npmrc "$side" "$proj/.npmrc"
          cmd=(node "$clients/node_modules/pnpm/bin/pnpm.cjs" install --ignore-scripts --reporter=silent
               --store-dir "$proj/.store" --cache-dir "$proj/.cache")
        else
          printf 'npmRegistryServer: "%s"\nnpmAuthToken: "%s"\nnpmAlwaysAuth: true\nunsafeHttpWhitelist: ["127.0.0.1"]\n' \
            "${URL[$side]}" "${TOKEN[$side]}" >"$proj/.yarnrc.yml"
          printf 'enableGlobalCache: false\nenableTelemetry: false\nenableScripts: false\nnodeLinker: node-modules\n' \
            >>"$proj/.yarnrc.yml"
          printf 'npmMinimalAgeGate: 0\nenableImmutableInstalls: false\n' >>"$proj/.yarnrc.yml"
          : >"$proj/yarn.lock"
          cmd=(node "$clients/node_modules/@yarnpkg/cli-dist/bin/yarn.js" install)
        fi
        s=$(date +%s%N)
        if ! (cd "$proj" && HOME="$proj" "${cmd[@]}" >"$work/$client-$side-$run.log" 2>&1); then
          say "$(label "$side"): $client install failed (run $run):"; tail -n 8 "$work/$client-$side-$run.log" | sed 's/^/     /' >&2
          times=(); break
        fi
        times+=($(( ($(date +%s%N) - s) / 1000000 )))
      done
      [ "${#times[@]}" -gt 0 ] || continue
      RESULT[$side.$client]=$(install_summary "$proj" "${times[@]}")
      say "$(label "$side"): $client ${RESULT[$side.$client]}"
    done
  done
fi

# ---------------------------------------------------------------- (d) memory
if [ "$BIG_MB" -gt 0 ]; then
  log "(d) RSS while $CLIENTS curl clients download the $BIG_MB MB tarball at once (ps every 0.5 s)"
  bigsize=$(stat -c %s "$bigtgz")
  for side in wharf verdaccio; do
    ready "$side" "(d)" || continue
    url=$(tarball_url "$side" "$big" "1.0.$BIG_MB")
    [ -n "$url" ] || { say "$(label "$side"): no dist.tarball for $big in its packument"; continue; }
    pid=$(listener_pid "$(port_of "$side")")
    before=$(rss_kb "$pid"); max="$before"
    s=$(date +%s%N); curls=()
    for i in $(seq 1 "$CLIENTS"); do
      auth_curl "$side" --max-time 600 -o /dev/null -w '%{http_code} %{size_download}\n' "$url" >"$work/d-$side-$i.txt" &
      curls+=($!)
    done
    while :; do
      r=$(rss_kb "$pid"); [ -n "$r" ] && [ "$r" -gt "$max" ] && max="$r"
      alive=0; for c in "${curls[@]}"; do kill -0 "$c" 2>/dev/null && alive=1; done
      [ "$alive" = 1 ] || break
      sleep 0.5
    done
    wait "${curls[@]}" 2>/dev/null || true
    secs=$(( ($(date +%s%N) - s) / 1000000 ))
    ok=$(cat "$work"/d-"$side"-*.txt | grep -c "^200 $bigsize\$" || true)
    RESULT[$side.d]="max $((max / 1024)) MB (before $((before / 1024)) MB); $ok/$CLIENTS complete in $((secs / 1000)) s"
    say "$(label "$side"): ${RESULT[$side.d]}"
  done
fi

# ---------------------------------------------------------------- table
log "results ($(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
row() { # title key
  printf '| %s | %s | %s |\n' "$1" "${RESULT[wharf.$2]:-${RESULT[wharf.why]:-n/a}}" "${RESULT[verdaccio.$2]:-${RESULT[verdaccio.why]:-n/a}}"
}
{
  echo "| measure | Wharf | Verdaccio 6.8.0 |"
  echo "|---|---|---|"
  row "publish the tree ($(wc -l <"$tree/packages.tsv") x npm publish)" publish
  row "(a) tarball GET $mid_spec ($mid_size B), $CONNECTIONS conns, ${DURATION} s" a
  [ "$VERSIONS" -gt 0 ] && row "(b) abbreviated packument, $VERSIONS versions, 1 conn" b
  [ "$CI_RUNS" -gt 0 ] && row "(c) npm ci, express@4.21.2 tree, median of $CI_RUNS" c
  [ "$CLIENT_RUNS" -gt 0 ] && row "(e) pnpm 10.34.9 install, same tree, no lockfile, median of $CLIENT_RUNS" pnpm
  [ "$CLIENT_RUNS" -gt 0 ] && row "(e) yarn 4.18.1 install, same tree, no lockfile, median of $CLIENT_RUNS" yarn4
  [ "$BIG_MB" -gt 0 ] && row "(d) RSS, $CLIENTS clients x $BIG_MB MB tarball" d
  true
}
