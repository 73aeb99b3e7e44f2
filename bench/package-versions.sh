#!/usr/bin/env bash
# list-package-versions over one package with many versions (issue 7: <= 50 ms per page over
# 10,000 versions), SigV4-signed by the AWS SDK for Java v2 on loopback against a server in the
# same JVM (free port, temporary SQLite data directory). See PackageVersionsLoad.
#   bench/package-versions.sh [versions, default 10000] [requests per scenario, default 300]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
java_home="$(./wharf --print-java-home)"
JAVA_HOME="$java_home" ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec "$java_home/bin/java" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.wharf.bench.PackageVersionsLoad "$@"
