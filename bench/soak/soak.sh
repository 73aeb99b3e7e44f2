#!/usr/bin/env bash
# The soak test of issue 15: a long run at half the measured maximum, mixed reads and publishes over
# npm, PyPI and Maven, watching the server for errors and for growth in memory, open files and threads.
#   bench/soak/soak.sh
# Starts Wharf ($WHARF_BIN server on a fresh data dir and a free port, the launcher's default settings;
# the aws CLI with the root credentials of <data>/credentials creates domain `soak` and repository
# `mixed`, then get-authorization-token and the npm, PyPI and Maven endpoints) and seeds it: npm
# package soak-seed (SEED_VERSIONS versions, 8 KiB tarballs, published by bench/npm/npm-put.mjs),
# PyPI project soak-seed (tiny wheels, uploaded as twine does by bench/pypi/pypi_tool.py), Maven
# artifact dev.wharf.soak:seed (16 KiB jar and a POM per version, then maven-metadata.xml, PUT with
# Basic aws:<token>). Then three wrk runs of the same mix (bench/soak/soak.lua), CONNECTIONS threads
# of one connection each:
#   warm-up   WARMUP s unthrottled (the JIT needs it)
#   phase 1   MAX_SECONDS s unthrottled: the maximum, in requests/s
#   phase 2   DURATION s paced at RATE_SHARE of that maximum (wrk's delay(): each thread's k-th request
#             is due at start + k / (its share of the rate)); the achieved rate is what counts
# The mix, by weight: npm packument full 15, abbreviated 15, tarball 10; PyPI simple page HTML 10,
# JSON 10, a wheel 10; Maven jar 10, POM 8, maven-metadata.xml 8 (all of the seeded packages); and
# PUBLISH_PERCENT % of the requests start a publish, npm, PyPI and Maven in turn: an npm PUT of a new
# version (tarball built in Lua), a PyPI upload of a new wheel, a Maven deploy of a new version (jar,
# POM and maven-metadata.xml: three requests). Every publish is a new version, unique per phase,
# thread and counter, into packages of the thread that take PER_PACKAGE versions each (so no document
# grows without bound). Every response that is not 2xx/3xx counts as an error, as do wrk's socket
# errors and timeouts (10 s).
# During phase 2 a churn loop (CHURN_SECONDS apart, CHURN=0 turns it off) changes what the requests are
# checked against, with the aws CLI and the wharf CLI: it issues a token and reads with it, then revokes it
# (`wharf token revoke`) and checks it is refused; every 5th cycle it rotates the token key
# (`wharf admin rotate-token-key`: the mix's own token, sealed by an older key, must keep working); it puts
# or deletes a repository policy that lets IAM user soak-reader read and checks soak-reader's token is let in
# or refused accordingly; and it publishes a generic package version (64 KiB asset) and deletes it, so the
# blob collector (Wharf runs with --blob-gc-grace-seconds 60, so it collects every minute) has orphans to
# remove while the mix runs. Any churn step that does not answer as expected counts as an error.
# During phase 2 it samples the server JVM every SAMPLE_SECONDS s: VmRSS and Threads from
# /proc/PID/status, open files as the entries of /proc/PID/fd; it prints the series and a summary
# (start / end / max of each, requests, achieved rate, errors by kind, publishes per format). At the
# end it checks with real reads that every package published into holds exactly the versions that
# got a 2xx (npm packument, PyPI JSON simple page, maven-metadata.xml; plus the one publish per thread
# whose answer wrk had not read when it stopped, if the server has it) and that the last one's file
# downloads. Exit status 1 on any error or failed check.
# Env (defaults): DURATION 600, MAX_SECONDS 30, RATE_SHARE 0.5, CONNECTIONS 16, WARMUP 10,
#   SAMPLE_SECONDS 10, PUBLISH_PERCENT 2, PER_PACKAGE 100, SEED_VERSIONS 5, CHURN 1, CHURN_SECONDS 20,
#   WHARF_BIN (./wharf of this checkout), KEEP=1 keeps the work dir. RATE (requests/s) paces phase 2 at that
#   rate instead of RATE_SHARE of the maximum: for comparing server settings, whose phase 1 maxima spread
#   by ±30 % on the 2-core machine.
# Needs: wrk (with LuaJIT, linked to libcrypto), zlib, curl, python3, node, the aws CLI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
DURATION="${DURATION:-600}"
MAX_SECONDS="${MAX_SECONDS:-30}"
RATE_SHARE="${RATE_SHARE:-0.5}"
CONNECTIONS="${CONNECTIONS:-16}"
WARMUP="${WARMUP:-10}"
SAMPLE_SECONDS="${SAMPLE_SECONDS:-10}"
PUBLISH_PERCENT="${PUBLISH_PERCENT:-2}"
PER_PACKAGE="${PER_PACKAGE:-100}"
SEED_VERSIONS="${SEED_VERSIONS:-5}"
CHURN="${CHURN:-1}"
CHURN_SECONDS="${CHURN_SECONDS:-20}"
WHARF_BIN="${WHARF_BIN:-$root/wharf}"
for tool in wrk curl python3 node aws; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_work

# ---------------------------------------------------------------- Wharf
port=$(free_port)
data="$work/wharf-data"
start_wharf "$port" "$data" env WHARF_BLOB_GC_GRACE_SECONDS=60 \
  WHARF_JAVA_OPTS="${WHARF_JAVA_OPTS:-} -XX:NativeMemoryTracking=summary"
account=$(awsw sts get-caller-identity --query Account --output text)
awsw codeartifact create-domain --domain soak >/dev/null
awsw codeartifact create-repository --domain soak --domain-owner "$account" --repository mixed >/dev/null
token=$(awsw codeartifact get-authorization-token --domain soak --domain-owner "$account" \
  --query authorizationToken --output text)
endpoint() { # format -> the repository endpoint, with a trailing slash
  local url
  url=$(awsw codeartifact get-repository-endpoint --domain soak --domain-owner "$account" --repository mixed \
    --format "$1" --query repositoryEndpoint --output text)
  echo "${url%/}/"
}
npm_url=$(endpoint npm); pypi_url=$(endpoint pypi); maven_url=$(endpoint maven)
say "Wharf: pid $pid (java); endpoints $npm_url $pypi_url $maven_url"
bearer="Authorization: Bearer $token"
basic="Authorization: Basic $(printf 'aws:%s' "$token" | base64 -w0)"

# ---------------------------------------------------------------- seeds
log "seed: $SEED_VERSIONS versions each of npm soak-seed, PyPI soak-seed, Maven dev.wharf.soak:seed"
mkdir -p "$work/seed"
: >"$work/seed/npm.tsv"
for i in $(seq 0 $((SEED_VERSIONS - 1))); do
  dir="$work/seed/npm-$i"
  mkdir -p "$dir/package"
  echo "{\"name\":\"soak-seed\",\"version\":\"0.1.$i\"}" >"$dir/package/package.json"
  head -c 8192 /dev/urandom >"$dir/package/blob.bin"
  tar -czf "$work/seed/soak-seed-0.1.$i.tgz" -C "$dir" package
  printf 'soak-seed\t0.1.%s\t%s\n' "$i" "$work/seed/soak-seed-0.1.$i.tgz" >>"$work/seed/npm.tsv"
done
node "$root/bench/npm/npm-put.mjs" "$npm_url" "$token" <"$work/seed/npm.tsv" >/dev/null
python3 "$root/bench/pypi/pypi_tool.py" many "$work/seed/pypi" soak-seed "$SEED_VERSIONS" >"$work/seed/pypi.txt"
xargs -a "$work/seed/pypi.txt" python3 "$root/bench/pypi/pypi_tool.py" upload "$pypi_url" "$token"
versions=""
for i in $(seq 0 $((SEED_VERSIONS - 1))); do
  base="dev/wharf/soak/seed/0.1.$i/seed-0.1.$i"
  head -c 16384 /dev/urandom >"$work/seed/seed.jar"
  printf '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>dev.wharf.soak</groupId><artifactId>seed</artifactId><version>0.1.%s</version><packaging>jar</packaging></project>\n' \
    "$i" >"$work/seed/seed.pom"
  curl -sS --fail-with-body -o /dev/null -X PUT -H "$basic" --data-binary @"$work/seed/seed.jar" "$maven_url$base.jar"
  curl -sS --fail-with-body -o /dev/null -X PUT -H "$basic" --data-binary @"$work/seed/seed.pom" "$maven_url$base.pom"
  versions+="<version>0.1.$i</version>"
done
curl -sS --fail-with-body -o /dev/null -X PUT -H "$basic" --data-binary \
  "<metadata><groupId>dev.wharf.soak</groupId><artifactId>seed</artifactId><versioning><versions>$versions</versions></versioning></metadata>" \
  "${maven_url}dev/wharf/soak/seed/maven-metadata.xml"
last=$((SEED_VERSIONS - 1))
for check in "$bearer|${npm_url}soak-seed/-/soak-seed-0.1.$last.tgz" \
  "$basic|${pypi_url}simple/soak-seed/soak_seed-1.0.$last-py3-none-any.whl" \
  "$basic|${maven_url}dev/wharf/soak/seed/0.1.$last/seed-0.1.$last.jar" \
  "$basic|${maven_url}dev/wharf/soak/seed/maven-metadata.xml"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "${check%%|*}" "${check#*|}")
  [ "$code" = 200 ] || { echo "seed check: ${check#*|} answered $code" >&2; exit 1; }
done
# pypi_tool.py's versions are 1.0.0, 1.0.1, ...; the Lua script reads soak_seed-1.0.<i>
[ "$(head -n1 "$work/seed/pypi.txt" | xargs basename)" = soak_seed-1.0.0-py3-none-any.whl ]

# ---------------------------------------------------------------- churn (phase 2)
wharfc() { # the wharf CLI as the root user of this server
  AWS_SHARED_CREDENTIALS_FILE="$data/credentials" AWS_CONFIG_FILE="$data/config" "$WHARF_BIN" "$@" \
    --endpoint-url "http://127.0.0.1:$port"
}
token_ids() { wharfc token list --output json | python3 -c 'import json, sys; [print(t["tokenId"]) for t in json.load(sys.stdin)["tokens"]]'; }
status_of() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "${npm_url}soak-seed"; }
expect_status() { # what token expected -> 0 when the token's read answers expected within 5 s (a change may take a moment)
  local code
  for _ in $(seq 1 50); do
    code=$(status_of "$2")
    [ "$code" = "$3" ] && return 0
    sleep 0.1
  done
  echo "churn $cycle: $1 answered $code, not $3" >>"$work/churn-errors.txt"
  return 1
}
churn_cycle() {
  local fresh id sha ok=1
  # a token issued, used, revoked, refused
  fresh=$(awsw codeartifact get-authorization-token --domain soak --domain-owner "$account" --duration-seconds 900 \
    --query authorizationToken --output text) || { echo "churn $cycle: get-authorization-token failed" >>"$work/churn-errors.txt"; return 1; }
  expect_status "a fresh token" "$fresh" 200 || ok=0
  for id in $(token_ids | grep -vxF -f "$work/keep-tokens.txt"); do
    wharfc token revoke "$id" >/dev/null || { echo "churn $cycle: revoke $id failed" >>"$work/churn-errors.txt"; ok=0; }
  done
  expect_status "a revoked token" "$fresh" 401 || ok=0
  if [ $((cycle % 5)) = 0 ]; then
    wharfc admin rotate-token-key >/dev/null || { echo "churn $cycle: rotate-token-key failed" >>"$work/churn-errors.txt"; ok=0; }
    expect_status "the mix's token after a key rotation" "$token" 200 || ok=0
  fi
  # a repository policy put or deleted: soak-reader let in or refused
  if [ $((cycle % 2)) = 1 ]; then
    awsw codeartifact put-repository-permissions-policy --domain soak --domain-owner "$account" --repository mixed \
      --policy-document "$reader_policy" >/dev/null \
      || { echo "churn $cycle: put-repository-permissions-policy failed" >>"$work/churn-errors.txt"; ok=0; }
    expect_status "soak-reader with the policy" "$reader_token" 200 || ok=0
  else
    awsw codeartifact delete-repository-permissions-policy --domain soak --domain-owner "$account" --repository mixed \
      >/dev/null || { echo "churn $cycle: delete-repository-permissions-policy failed" >>"$work/churn-errors.txt"; ok=0; }
    expect_status "soak-reader without the policy" "$reader_token" 403 || ok=0
  fi
  # a generic version published and deleted: an orphan for the collector
  head -c 65536 /dev/urandom >"$work/churn.bin"
  sha=$(sha256sum "$work/churn.bin" | cut -d' ' -f1)
  awsw codeartifact publish-package-version --domain soak --domain-owner "$account" --repository mixed --format generic \
    --namespace soak --package churn --package-version "c$cycle" --asset-content "$work/churn.bin" \
    --asset-name churn.bin --asset-sha256 "$sha" >/dev/null \
    && awsw codeartifact delete-package-versions --domain soak --domain-owner "$account" --repository mixed \
      --format generic --namespace soak --package churn --versions "c$cycle" >/dev/null \
    || { echo "churn $cycle: generic publish or delete failed" >>"$work/churn-errors.txt"; ok=0; }
  [ "$ok" = 1 ]
}
churn_loop() { # runs until killed; one line per cycle in $work/churn.txt
  cycle=0
  while sleep "$CHURN_SECONDS"; do
    cycle=$((cycle + 1))
    if churn_cycle; then echo "$cycle ok" >>"$work/churn.txt"; else echo "$cycle FAIL" >>"$work/churn.txt"; fi
  done
}
: >"$work/churn.txt"; : >"$work/churn-errors.txt"
if [ "$CHURN" = 1 ]; then
  awsw iam create-user --user-name soak-reader >/dev/null
  awsw iam put-user-policy --user-name soak-reader --policy-name tokens --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codeartifact:GetAuthorizationToken","sts:GetServiceBearerToken"],"Resource":"*"}]}'
  read -r reader_key reader_secret < <(awsw iam create-access-key --user-name soak-reader \
    --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
  reader_token=$(AWS_ACCESS_KEY_ID="$reader_key" AWS_SECRET_ACCESS_KEY="$reader_secret" awsw codeartifact \
    get-authorization-token --domain soak --domain-owner "$account" --query authorizationToken --output text)
  reader_policy="{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$account:user/soak-reader\"},\"Action\":\"codeartifact:ReadFromRepository\",\"Resource\":\"*\"}]}"
  token_ids >"$work/keep-tokens.txt" # the mix's token and soak-reader's are never revoked
  [ "$(wc -l <"$work/keep-tokens.txt")" = 2 ] || { echo "expected two live tokens, found: $(cat "$work/keep-tokens.txt")" >&2; exit 1; }
  status_of "$reader_token" | grep -qx 403 || { echo "soak-reader reads without a policy" >&2; exit 1; }
fi

# ---------------------------------------------------------------- the mix
export SOAK_TOKEN="$token" SOAK_THREADS="$CONNECTIONS" SOAK_PUBLISH_PERCENT="$PUBLISH_PERCENT" \
  SOAK_PER_PACKAGE="$PER_PACKAGE" SOAK_SEED_VERSIONS="$SEED_VERSIONS"
SOAK_NPM="/${npm_url#http://*/}"; SOAK_PYPI="/${pypi_url#http://*/}"; SOAK_MAVEN="/${maven_url#http://*/}"
export SOAK_NPM SOAK_PYPI SOAK_MAVEN
mix() { # phase seconds rate(0: unthrottled) -> wrk's output in $work/wrk-<phase>.txt
  SOAK_PHASE="$1" SOAK_RATE="$3" wrk -t"$CONNECTIONS" -c"$CONNECTIONS" -d"$2s" --timeout 10s --latency \
    -s "$here/soak.lua" "http://127.0.0.1:$port/" >"$work/wrk-$1.txt" 2>&1
}
field() { awk -v k="$2" '$1 == "SOAK" && $2 == k' "$work/wrk-$1.txt"; }
errors_of() { # phase -> total errors: non-2xx/3xx answers and socket errors
  { field "$1" kind | awk '{print $5}'; field "$1" socket | awk '{print $4 + $6 + $8 + $10}'; } | awk '{s += $1} END {print s + 0}'
}
if [ "$WARMUP" -gt 0 ]; then
  log "warm-up: ${WARMUP}s unthrottled"
  mix 0 "$WARMUP" 0
fi
log "phase 1: the maximum, ${MAX_SECONDS}s unthrottled, $CONNECTIONS connections"
mix 1 "$MAX_SECONDS" 0
max=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-1.txt")
[ -n "$max" ] || { cat "$work/wrk-1.txt" >&2; exit 1; }
if [ -n "${RATE:-}" ]; then
  target="$RATE"
else
  target=$(python3 -c "print(round($max * $RATE_SHARE, 1))")
fi
say "maximum $max req/s (p50 $(field 1 latency | awk '{print $4}') ms, p99 $(field 1 latency | awk '{print $6}') ms, $(errors_of 1) errors); target $target req/s"

log "phase 2: ${DURATION}s at $target req/s, sampling the server every ${SAMPLE_SECONDS}s"
sample() { # seconds-since-start -> "t rss_kb open_files threads rss_anon_kb rss_file_kb"
  local files
  # shellcheck disable=SC2012 # only counted
  files=$(ls "/proc/$pid/fd" | wc -l)
  awk -v t="$1" -v files="$files" '/^VmRSS:/ {r = $2} /^Threads:/ {n = $2} /^RssAnon:/ {a = $2} /^RssFile:/ {f = $2}
    END {print t, r, files, n, a, f}' "/proc/$pid/status"
}
nmt() { # -> the JVM's committed memory by area (KB), from Native Memory Tracking
  "$(dirname "$(readlink "/proc/$pid/exe")")/jcmd" "$pid" VM.native_memory summary \
    | sed -n 's/^-  *\([A-Za-z][A-Za-z ]*[a-z]\) (reserved=[0-9]*KB, committed=\([0-9]*\)KB).*/\1\t\2/p'
}
mix 2 "$DURATION" "$target" &
wrk_job=$!
churn_job=
if [ "$CHURN" = 1 ]; then
  churn_loop &
  churn_job=$!
fi
start=$(date +%s)
sleep 1 # the connections are open
sample 1 >"$work/series.txt"
nmt >"$work/nmt-start.txt"
next=$SAMPLE_SECONDS
while kill -0 "$wrk_job" 2>/dev/null; do
  sleep 1
  elapsed=$(( $(date +%s) - start ))
  if [ "$elapsed" -ge "$next" ] && kill -0 "$wrk_job" 2>/dev/null; then
    sample "$elapsed" >>"$work/series.txt"
    next=$((next + SAMPLE_SECONDS))
  fi
done
wait "$wrk_job" || { cat "$work/wrk-2.txt" >&2; exit 1; }
if [ -n "$churn_job" ]; then
  kill "$churn_job" 2>/dev/null || true
  wait "$churn_job" 2>/dev/null || true
fi
nmt >"$work/nmt-end.txt"
sleep 1 # the connections are closed
read -r _ rss_after fd_after th_after _ < <(sample after)

# ---------------------------------------------------------------- report
log "phase 2: the server over time"
{
  echo "| t (s) | RSS (MB) | of which anonymous / file-backed (MB) | open files | threads |"
  echo "|---|---|---|---|---|"
  awk '{printf "| %d | %.0f | %.0f / %.0f | %d | %d |\n", $1, $2 / 1024, $5 / 1024, $6 / 1024, $3, $4}' "$work/series.txt"
  echo "| 1 s after the run | $((rss_after / 1024)) | | $fd_after | $th_after |"
} >&2
log "phase 2: the JVM's committed memory by area (Native Memory Tracking), start -> end of the paced phase"
join -t "$(printf '\t')" <(sort "$work/nmt-start.txt") <(sort "$work/nmt-end.txt") \
  | awk -F '\t' '{printf "   %-28s %7.1f -> %7.1f MB\n", $1, $2 / 1024, $3 / 1024}' >&2
series() { # column -> start end max
  awk -v c="$1" 'NR == 1 {s = $c} {e = $c; if ($c > m) m = $c} END {print s, e, m}' "$work/series.txt"
}
read -r rss0 rss1 rssmax < <(series 2)
read -r fd0 fd1 fdmax < <(series 3)
read -r th0 th1 thmax < <(series 4)
requests=$(field 2 summary | awk '{print $4}')
achieved=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-2.txt")
errors=$(errors_of 2)
by_kind=$( { field 2 kind | awk '$5 > 0 {printf "%s %d, ", $3, $5}'
  field 2 socket | awk '{printf "socket connect %d read %d write %d timeout %d", $4, $6, $8, $10}'; } )
pubs() { field 2 published | awk -v f="$1" '$3 == f {s += $5} END {print s + 0}'; }
log "phase 2: requests by kind"
{
  printf '   %-24s %8s %6s %9s %9s\n' kind count errors "mean ms" "max ms"
  field 2 kind | sort -k3 | awk '{printf "   %-24s %8d %6d %9.2f %9.1f\n", $3, $4, $5, $6, $7}'
} >&2
field 2 failure | sed 's/^SOAK failure /   failed: /' >&2

log "check: every package published into holds the versions that were answered 2xx"
cat "$work"/wrk-*.txt | awk '$1 == "SOAK" && $2 == "published" {print $3, $4, $5, $6}' >"$work/published.txt"
cat "$work"/wrk-*.txt | awk '$1 == "SOAK" && $2 == "unanswered" {print $3, $4, $5}' >"$work/unanswered.txt"
verdict=$(python3 - "$work/published.txt" "$work/unanswered.txt" "$npm_url" "$pypi_url" "$maven_url" "$token" <<'PY'
import base64, json, re, sys, urllib.error, urllib.request
listing, unanswered_listing, npm, pypi, maven, token = sys.argv[1:]
# a publish in flight when wrk stopped: the server may hold that version though no answer counted it
unanswered = {(f, n): v for f, n, v in (line.split() for line in open(unanswered_listing, errors="replace"))}
basic = "Basic " + base64.b64encode(f"aws:{token}".encode()).decode()

def get(url, auth, accept="*/*"):
    request = urllib.request.Request(url, headers={"Authorization": auth, "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()

problems, checked = [], {"npm": 0, "pypi": 0, "maven": 0}
for line in open(listing, errors="replace"):
    fmt, name, count, last = line.split()
    count = int(count)
    if fmt == "npm":
        status, body = get(npm + name, "Bearer " + token)
        versions = list(json.loads(body).get("versions", {})) if status == 200 else []
        status_file, _ = get(f"{npm}{name}/-/{name}-{last}.tgz", "Bearer " + token)
    elif fmt == "pypi":
        status, body = get(f"{pypi}simple/{name}/", basic, "application/vnd.pypi.simple.v1+json")
        files = [f["filename"] for f in json.loads(body).get("files", [])] if status == 200 else []
        versions = [f.split("-")[1] for f in files]
        status_file, _ = get(f"{pypi}simple/{name}/{name.replace('-', '_')}-{last}-py3-none-any.whl", basic)
    else:
        status, body = get(f"{maven}dev/wharf/soak/{name}/maven-metadata.xml", basic)
        versions = re.findall(r"<version>([^<]+)</version>", body.decode()) if status == 200 else []
        status_file, _ = get(f"{maven}dev/wharf/soak/{name}/{last}/{name}-{last}.jar", basic)
    checked[fmt] += count
    if unanswered.get((fmt, name)) in versions:
        versions.remove(unanswered[(fmt, name)])
    if status != 200 or len(versions) != count or last not in versions or status_file != 200:
        problems.append(f"{fmt} {name}: expected {count} versions with {last}, read {status} with "
                        f"{len(versions)} versions, its file {status_file}")
for p in problems[:10]:
    print("   " + p, file=sys.stderr)
print(f"{'FAIL' if problems else 'ok'}: npm {checked['npm']}, PyPI {checked['pypi']}, Maven {checked['maven']}"
      f" versions found as answered ({len(unanswered)} unanswered when wrk stopped)")
PY
) || verdict="FAIL: the check did not run to its end"
say "$verdict, all phases"

churn_cycles=$(wc -l <"$work/churn.txt")
churn_failed=$(grep -c FAIL "$work/churn.txt" || true)
collected=$(curl -s "http://127.0.0.1:$port/metrics" \
  | awk '$1 ~ /^wharf_blob_collector_removed_blobs_total/ {s += $2} END {print s + 0}')
if [ "$CHURN" = 1 ]; then
  log "churn: $churn_cycles cycles, $churn_failed failed; the collector removed $collected blobs"
  sed 's/^/   /' "$work/churn-errors.txt" | head -n 20 >&2
fi
churn_ok=1
if [ "$CHURN" = 1 ] && { [ "$churn_failed" != 0 ] || { [ "$churn_cycles" -ge 6 ] && [ "$collected" = 0 ]; }; }; then
  churn_ok=0
fi

log "summary ($(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
mb() { echo $(( $1 / 1024 )); }
echo "soak: ${DURATION}s at $target req/s ($([ -n "${RATE:-}" ] && echo "fixed; the maximum was" || echo "$RATE_SHARE of the maximum") $max req/s), $CONNECTIONS connections:" \
  "achieved $achieved req/s, $requests requests, p50 $(field 2 latency | awk '{print $4}') ms," \
  "p99 $(field 2 latency | awk '{print $6}') ms; errors $errors ($by_kind);" \
  "publishes npm $(pubs npm), PyPI $(pubs pypi), Maven $(pubs maven) versions;" \
  "under load start/end/max: RSS $(mb "$rss0")/$(mb "$rss1")/$(mb "$rssmax") MB, open files $fd0/$fd1/$fdmax," \
  "threads $th0/$th1/$thmax; 1 s after: RSS $(mb "$rss_after") MB, open files $fd_after, threads $th_after;" \
  "check $verdict; churn $churn_cycles cycles (token issued/revoked, key rotated every 5th, repository policy" \
  "put/deleted, generic version published/deleted), $churn_failed failed, $collected orphan blobs collected"
[ "$errors" = 0 ] && [ "${verdict%%:*}" = ok ] && [ "$churn_ok" = 1 ]
