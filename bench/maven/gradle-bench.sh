#!/usr/bin/env bash
# Gradle (Debian's 4.4.1) resolving this project's dependency tree from Wharf (authenticated) against nginx
# serving the same files statically, in one run.
#   bench/maven/gradle-bench.sh
# The files are this machine's local Maven repository, uploaded into a fresh Wharf and hard-linked into
# nginx's root (bench/maven/tree.py, as maven-bench.sh does). The tree is this project's runtime
# dependencies as Maven resolves them (dependency:list of the tree.py project, against nginx), declared in a
# build.gradle one by one with transitive = false: both sides then serve the same jars and POMs (and their
# parent POMs), and Gradle's own conflict resolution cannot ask for a version the local repository lacks.
# Each run is `gradle --no-daemon -q resolveAll` (the files of the compile configuration) with a fresh
# GRADLE_USER_HOME and an empty user.home (Gradle otherwise takes jars from ~/.m2 and asks the server only
# for checksums); $RUNS runs alternating after a warm-up each; median wall time. The same build once more
# with that GRADLE_USER_HOME (nothing to download) is Gradle's own start-up and configuration.
# Env (defaults): RUNS 3, JAVA_HOME (a JDK 21+ for Wharf; Gradle runs on the java of PATH), WHARF_BIN (./wharf
#   of this checkout), KEEP=1 keeps the work dir.
# Needs: gradle, mvn, nginx (apt-get install -y gradle maven nginx-light), curl, python3, the aws CLI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
RUNS="${RUNS:-3}"
WHARF_BIN="${WHARF_BIN:-$root/wharf}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
for tool in gradle mvn nginx curl python3 aws bc; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_work

start_wharf "$(free_port)" "$work/wharf-data"
bench_repository tree maven
t=$(date +%s)
python3 "$here/tree.py" upload "$endpoint" "$token" 8
log "uploaded into Wharf in $(( $(date +%s) - t )) s"
mkdir -p "$work/static"
python3 "$here/tree.py" stage "$work/static"
nginx_port=$(free_port)
start_nginx "$nginx_port" "$work/static" "types { application/java-archive jar; application/xml pom; text/plain sha1; }"
nginx_url="http://127.0.0.1:$nginx_port/"

log "the tree: dependency:list with Maven against nginx"
python3 "$here/tree.py" pom "$root/pom.xml" "$work/project"
printf '<settings><mirrors><mirror><id>m</id><url>%s</url><mirrorOf>*</mirrorOf></mirror></mirrors></settings>\n' \
  "$nginx_url" >"$work/nginx-settings.xml"
(cd "$work/project" && mvn -B -q -s "$work/nginx-settings.xml" -Dmaven.repo.local="$work/m2-list" \
  org.apache.maven.plugins:maven-dependency-plugin:3.9.0:list -DincludeScope=runtime -DoutputFile="$work/deps.txt" \
  >"$work/mvn-list.log" 2>&1) || { tail -n 20 "$work/mvn-list.log" >&2; exit 1; }
# lines "   group:artifact:jar:version:scope" (with a classifier there are six fields: those are left out)
sed -n 's/^ *\([^: ]*\):\([^: ]*\):jar:\([^: ]*\):\(compile\|runtime\).*/\1:\2:\3/p' "$work/deps.txt" | sort -u >"$work/coords"
say "$(wc -l <"$work/coords") jars"
mkdir -p "$work/gradle"
echo "rootProject.name = 'tree'" >"$work/gradle/settings.gradle"
{
  echo "apply plugin: 'java'"
  echo "repositories {"
  echo "  maven {"
  echo "    url System.env.REPOSITORY_URL"
  echo "    if (System.env.CODEARTIFACT_AUTH_TOKEN) { credentials { username 'aws'; password System.env.CODEARTIFACT_AUTH_TOKEN } }"
  echo "  }"
  echo "}"
  echo "dependencies {"
  sed "s/.*/  compile('&') { transitive = false }/" "$work/coords"
  echo "}"
  echo "task resolveAll { doLast { println configurations.compile.files.size() } }"
} >"$work/gradle/build.gradle"

gradle_run() { # side gradle-user-home -> jars resolved on stdout
  local url=$nginx_url auth=""
  [ "$1" = wharf ] && url=$endpoint auth=$token
  mkdir -p "$2/user"
  (cd "$work/gradle" && env -u JAVA_HOME REPOSITORY_URL="$url" CODEARTIFACT_AUTH_TOKEN="$auth" GRADLE_USER_HOME="$2" \
    GRADLE_OPTS="-Duser.home=$2/user" gradle --no-daemon -q resolveAll 2>"$work/gradle-$1.log") \
    || { echo "gradle against $1 failed:" >&2; tail -n 20 "$work/gradle-$1.log" >&2; exit 1; }
}
resolve() { # side -> "COUNT SECONDS" on stdout; the cached run's seconds go to $work/cached-SIDE
  local home="$work/gradle-home-$1-$RANDOM$RANDOM" start end count
  start=$(date +%s.%N)
  count=$(gradle_run "$1" "$home" | tail -n1)
  end=$(date +%s.%N)
  local cached_start cached_end
  cached_start=$(date +%s.%N)
  gradle_run "$1" "$home" >/dev/null
  cached_end=$(date +%s.%N)
  echo "$cached_end - $cached_start" | bc >>"$work/cached-$1"
  rm -rf "$home"
  echo "$count $(echo "$end - $start" | bc)"
}

log "resolution with $(gradle --version 2>/dev/null | grep '^Gradle'), fresh GRADLE_USER_HOME, $RUNS runs each"
: >"$work/cached-wharf"; : >"$work/cached-nginx"
alternate "$RUNS" resolve jars
# the first line of each is the warm-up's
cw=$(tail -n +2 "$work/cached-wharf" | median); cn=$(tail -n +2 "$work/cached-nginx" | median)
printf '\n| measure | Wharf | nginx | Wharf / nginx |\n|---|---|---|---|\n'
printf '| gradle resolveAll, fresh GRADLE_USER_HOME, median of %d (s) | %.2f | %.2f | %.2fx |\n' "$RUNS" \
  "$median_wharf" "$median_nginx" "$(echo "$median_wharf / $median_nginx" | bc -l)"
printf '| the same build again, all cached (s) | %.2f | %.2f | |\n' "$cw" "$cn"
printf '| downloading alone: the difference (s) | %.2f | %.2f | %.2fx |\n' "$(echo "$median_wharf - $cw" | bc -l)" \
  "$(echo "$median_nginx - $cn" | bc -l)" "$(echo "($median_wharf - $cw) / ($median_nginx - $cn)" | bc -l)"
