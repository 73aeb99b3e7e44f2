#!/usr/bin/env bash
# How fast a change made on one cluster node applies on another (issue 8: within 1 s): two nodes
# in one JVM on a fresh schema of the PostgreSQL at WHARF_TEST_POSTGRES_URL (default
# jdbc:postgresql://127.0.0.1:5432/test?user=postgres), free ports, a shared temporary blob
# directory. Token revocations, then IAM Deny policies. See ClusterPropagationLoad.
#   bench/cluster-propagation.sh [rounds, default 100]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
java_home="$(./wharf --print-java-home)"
JAVA_HOME="$java_home" ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec "$java_home/bin/java" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.wharf.bench.ClusterPropagationLoad "$@"
