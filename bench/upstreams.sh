#!/usr/bin/env bash
# Reading through an upstream repository (issue 7): npm tarball GETs on loopback against a server in
# the same JVM (free port, temporary SQLite data directory): the upstream's own time, a fall-through
# miss (found upstream and retained), a warm hit on the retained version, a local version, and the
# merged packument. See UpstreamLoad.
#   bench/upstreams.sh [versions = requests per scenario, default 500]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
java_home="$(./wharf --print-java-home)"
JAVA_HOME="$java_home" ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec "$java_home/bin/java" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.wharf.bench.UpstreamLoad "$@"
