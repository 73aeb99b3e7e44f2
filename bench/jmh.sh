#!/usr/bin/env bash
# Runs JMH benchmarks from src/test/java/dev/wharf/bench with a JDK 21+ found like ./wharf does.
#   bench/jmh.sh [benchmark regex] [JMH options]   e.g. bench/jmh.sh PolicyEvaluation -f 1 -wi 3 -i 5
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
java_home="$(./wharf --print-java-home)"
JAVA_HOME="$java_home" ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
pattern="${1:-.}"
shift || true
exec "$java_home/bin/java" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.openjdk.jmh.Main "$pattern" "$@"
