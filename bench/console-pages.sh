#!/usr/bin/env bash
# The web console's pages over a repository of many packages (issue 17: p95 <= 100 ms per page with 10,000
# packages), fetched with a signed-in session on loopback from a server in the same JVM (free port, temporary
# SQLite data directory). See ConsolePagesLoad.
#   bench/console-pages.sh [packages, default 10000] [requests per page, default 200]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
java_home="$(./wharf --print-java-home)"
JAVA_HOME="$java_home" ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec "$java_home/bin/java" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.wharf.bench.ConsolePagesLoad "$@"
