#!/usr/bin/env bash
# The Maven benchmark of issue 6: Wharf (authenticated) against nginx from Debian serving the same
# files as a static directory, in one run.
#   bench/maven/maven-bench.sh
# The data is this machine's local Maven repository (~/.m2/repository: this project's dependency
# tree and its build plugins, thousands of real jars and POMs), uploaded into a fresh Wharf
# (./wharf server on random free ports, a new data dir; root credentials drive the aws CLI) and
# hard-linked into nginx's root, each with a .sha1 file (Maven asks for one per file; Wharf computes
# its answer from the digests it stored). Then:
#   (a) resolution: `mvn -B -q package -DskipTests` of a project with this project's dependencies
#       (bench/maven/tree.py pom), Debian's Maven 3.8.7, each registry as the only mirror, a fresh
#       empty local repository each run, $RUNS runs alternating: median wall time
#   (b) GET throughput of the jar closest to 1 MB: wrk, $CONNECTIONS connections, $DURATION s after
#       a 5 s warm-up (Wharf with Basic aws:<token>): req/s and p50/p99 latency
#   (c) the cost of one request: wrk on one connection, 10 s, on that jar's POM (and, on Wharf, on
#       its .sha1, which Wharf answers from the stored digests): p50 latency
# Env (defaults): RUNS 3, DURATION 20, CONNECTIONS 64, JAVA_HOME (a JDK 21+; mvn runs on it),
#   WHARF_BIN (default ./wharf of this checkout), KEEP=1 keeps the work dir.
# Needs: mvn, nginx (apt-get install -y maven nginx), wrk, curl, python3, the aws CLI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
RUNS="${RUNS:-3}"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-64}"
WHARF_BIN="${WHARF_BIN:-$root/wharf}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
for tool in mvn nginx wrk curl python3 aws; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
work="$(mktemp -d)"
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  local p; for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "work dir kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '\n== %s\n' "$*" >&2; }
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh" # for start_nginx; this script keeps its own work directory and clean-up
wharf_port=$(python3 "$here/tree.py" free-port)
nginx_port=$(python3 "$here/tree.py" free-port)

log "start Wharf on port $wharf_port"
data="$work/wharf-data"
"$WHARF_BIN" server --port "$wharf_port" --data "$data" --bind 127.0.0.1 >"$work/wharf.log" 2>&1 &
for _ in $(seq 1 3000); do curl -sf -o /dev/null "http://127.0.0.1:$wharf_port/health" && break; sleep 0.2; done
awsw() { AWS_SHARED_CREDENTIALS_FILE="$data/credentials" AWS_CONFIG_FILE="$data/config" \
  aws --endpoint-url "http://127.0.0.1:$wharf_port" "$@"; }
account=$(awsw sts get-caller-identity --query Account --output text)
awsw codeartifact create-domain --domain bench >/dev/null
awsw codeartifact create-repository --domain bench --domain-owner "$account" --repository tree >/dev/null
token=$(awsw codeartifact get-authorization-token --domain bench --domain-owner "$account" \
  --query authorizationToken --output text)
wharf_url=$(awsw codeartifact get-repository-endpoint --domain bench --domain-owner "$account" \
  --repository tree --format maven --query repositoryEndpoint --output text)
t=$(date +%s)
python3 "$here/tree.py" upload "$wharf_url" "$token" 8
log "uploaded into Wharf in $(( $(date +%s) - t )) s"

mkdir -p "$work/static"
python3 "$here/tree.py" stage "$work/static"
start_nginx "$nginx_port" "$work/static" "tcp_nopush on" \
  "types { application/java-archive jar; application/xml pom; text/plain sha1; }"
nginx_url="http://127.0.0.1:$nginx_port/"

settings() { # url auth? -> settings.xml on stdout
  local server=""
  [ "$2" = auth ] && server="<servers><server><id>mirror</id><username>aws</username><password>\${env.CODEARTIFACT_AUTH_TOKEN}</password></server></servers>"
  cat <<XML
<settings>$server
  <mirrors><mirror><id>mirror</id><url>$1</url><mirrorOf>*</mirrorOf></mirror></mirrors>
</settings>
XML
}
settings "$wharf_url" auth >"$work/wharf-settings.xml"
settings "$nginx_url" none >"$work/nginx-settings.xml"
python3 "$here/tree.py" pom "$root/pom.xml" "$work/project"

resolve() { # side -> seconds on stdout
  local local_repo="$work/m2-$1-$RANDOM$RANDOM" start end
  start=$(date +%s.%N)
  (cd "$work/project" && CODEARTIFACT_AUTH_TOKEN="$token" mvn -B -q -s "$work/$1-settings.xml" \
    -Dmaven.repo.local="$local_repo" package -DskipTests >"$work/mvn-$1.log" 2>&1) \
    || { echo "mvn against $1 failed:" >&2; tail -n 20 "$work/mvn-$1.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$(find "$local_repo" -name '*.jar' | wc -l) $(echo "$end - $start" | bc)"
  rm -rf "$local_repo" "$work/project/target"
}

log "(a) resolution with mvn $(mvn -v 2>/dev/null | head -n1 | sed 's/\x1b\[[0-9;]*m//g'), fresh local repository, $RUNS runs each"
resolve nginx >/dev/null; resolve wharf >/dev/null # warm up both (page cache, JIT)
: >"$work/times-wharf"; : >"$work/times-nginx"
for i in $(seq 1 "$RUNS"); do
  for side in wharf nginx; do
    read -r jars seconds < <(resolve "$side")
    echo "$seconds" >>"$work/times-$side"
    printf '   run %d %-5s %6.2f s (%d jars resolved)\n' "$i" "$side" "$seconds" "$jars" >&2
  done
done
w=$(median <"$work/times-wharf"); n=$(median <"$work/times-nginx")

log "(b) GET of a ~1 MB jar, $CONNECTIONS connections, ${DURATION}s"
jar=$(cd "$work/static" && find . -name '*.jar' -size +900k -size -1200k -printf '%s %P\n' | sort -n \
  | awk '{d=$1-1048576; if (d<0) d=-d; print d, $2}' | sort -n | head -n1 | cut -d' ' -f2)
echo "   $jar ($(stat -c %s "$work/static/$jar") bytes)" >&2
auth="Basic $(printf 'aws:%s' "$token" | base64 -w0)"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $auth" "$wharf_url$jar")" = 200 ]
load() { # url header...
  wrk -t2 -c"$CONNECTIONS" -d5s "$@" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@"
}
wout=$(load -H "Authorization: $auth" "$wharf_url$jar")
nout=$(load "$nginx_url$jar")
log "(c) one connection, 10 s: the jar's POM (and its .sha1)"
pom="${jar%.jar}.pom"
one() { wrk -t1 -c1 -d2s "$@" >/dev/null; wrk -t1 -c1 -d10s --latency "$@"; }
wpom=$(one -H "Authorization: $auth" "$wharf_url$pom")
wsha=$(one -H "Authorization: $auth" "$wharf_url$pom.sha1")
npom=$(one "$nginx_url$pom")
nsha=$(one "$nginx_url$pom.sha1")
rps() { awk '/Requests\/sec/ {print $2}'; }
pct() { awk -v p="$1%" '$1 == p {print $2}'; }

printf '\n| measure | Wharf | nginx | Wharf / nginx |\n|---|---|---|---|\n'
printf '| (a) mvn package, fresh local repo, median of %d (s) | %.2f | %.2f | %.2fx |\n' "$RUNS" "$w" "$n" "$(echo "$w / $n" | bc -l)"
wr=$(echo "$wout" | rps); nr=$(echo "$nout" | rps)
printf '| (b) GET %s, %d conns (req/s) | %s | %s | %.0f%% |\n' "$(basename "$jar")" "$CONNECTIONS" "$wr" "$nr" "$(echo "100 * $wr / $nr" | bc -l)"
printf '| (b) latency p50 / p99 | %s / %s | %s / %s | |\n' "$(echo "$wout" | pct 50)" "$(echo "$wout" | pct 99)" \
  "$(echo "$nout" | pct 50)" "$(echo "$nout" | pct 99)"
printf '| (c) one connection: GET %s, p50 (req/s) | %s (%s) | %s (%s) | |\n' "$(basename "$pom")" \
  "$(echo "$wpom" | pct 50)" "$(echo "$wpom" | rps)" "$(echo "$npom" | pct 50)" "$(echo "$npom" | rps)"
printf '| (c) one connection: GET its .sha1, p50 (req/s) | %s (%s) | %s (%s) | |\n' \
  "$(echo "$wsha" | pct 50)" "$(echo "$wsha" | rps)" "$(echo "$nsha" | pct 50)" "$(echo "$nsha" | rps)"
