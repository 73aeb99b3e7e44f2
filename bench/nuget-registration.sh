#!/usr/bin/env bash
# NuGet registration index of a package with many versions (issue 19: p50 <= 10 ms at 1,000 versions),
# one keep-alive connection with Basic auth against a server in the
# same JVM (free port, temporary SQLite data directory). See NugetRegistrationLoad.
#   bench/nuget-registration.sh [versions, default 1000] [requests per scenario, default 300]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
java_home="$(./wharf --print-java-home)"
JAVA_HOME="$java_home" ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec "$java_home/bin/java" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.wharf.bench.NugetRegistrationLoad "$@"
