#!/usr/bin/env bash
# The Swift registry's quick measurement (issue 19): a release list of VERSIONS releases, release information
# and a source archive, each with wrk on one connection for 10 s (p50, p99) and on 64 connections (req/s).
#   bench/swift/swift-bench.sh
# The package is a real-looking one (Package.swift, a version-specific manifest, Sources/, Tests/) zipped with
# zip as swift package archive-source lays it out, published VERSIONS times with curl's multipart PUT (the
# registry specification's section 4.6) and the token as SwiftPM's netrc entry sends it (Basic token:TOKEN).
# Target: release list p50 <= 10 ms. No Swift client runs here.
# Env (defaults): VERSIONS 100, WHARF_BIN (./wharf of this checkout), KEEP=1 keeps the work dir.
# Needs: zip, wrk, curl, python3, the aws CLI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
VERSIONS="${VERSIONS:-100}"
WHARF_BIN="${WHARF_BIN:-$root/wharf}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
for tool in zip wrk curl python3 aws; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_work

start_wharf "$(free_port)" "$work/wharf-data"
bench_repository apple swift
auth="Authorization: Basic $(printf 'token:%s' "$token" | base64 -w0)"

log "make the package and publish $VERSIONS releases"
package="$work/package/LinkedList"
mkdir -p "$package/Sources/LinkedList" "$package/Tests/LinkedListTests"
cat >"$package/Package.swift" <<'SWIFT'
// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "LinkedList",
    products: [.library(name: "LinkedList", targets: ["LinkedList"])],
    targets: [.target(name: "LinkedList"), .testTarget(name: "LinkedListTests", dependencies: ["LinkedList"])]
)
SWIFT
sed 's/5.9/5.8/' "$package/Package.swift" >"$package/Package@swift-5.8.swift"
printf 'public struct LinkedList<Element> {\n  public init() {}\n}\n' >"$package/Sources/LinkedList/LinkedList.swift"
printf 'import XCTest\n@testable import LinkedList\n' >"$package/Tests/LinkedListTests/LinkedListTests.swift"
(cd "$work/package" && zip -q -r -X "$work/LinkedList.zip" LinkedList)
printf '{"description":"One thing links to another.","repositoryURLs":["https://github.com/mona/LinkedList"]}' \
  >"$work/metadata.json"
for i in $(seq 1 "$VERSIONS"); do
  status=$(curl -s -o "$work/publish.out" -w '%{http_code}' -X PUT -H "$auth" \
    -H 'Accept: application/vnd.swift.registry.v1+json' \
    -F "source-archive=@$work/LinkedList.zip;type=application/zip" \
    -F "metadata=<$work/metadata.json;type=application/json" \
    "${endpoint}mona/LinkedList/1.0.$i")
  [ "$status" = 201 ] || { echo "publish 1.0.$i: $status $(cat "$work/publish.out")" >&2; exit 1; }
done

one() { wrk -t1 -c1 -d3s "$@" >/dev/null; wrk -t1 -c1 -d10s --latency "$@"; }
many() { wrk -t2 -c64 -d5s "$@" >/dev/null; wrk -t2 -c64 -d10s "$@"; }
pct() { echo "$1" | awk -v p="$2" '$1 == p {print $2}'; }
rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
row() {
  local what=$1 accept=$2 url=$3 w1 w64
  log "$what"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" -H "Accept: $accept" "$url")" = 200 ] \
    || { echo "$url does not answer 200" >&2; exit 1; }
  w1=$(one -H "$auth" -H "Accept: $accept" "$url")
  w64=$(many -H "$auth" -H "Accept: $accept" "$url")
  if echo "$w1$w64" | grep -q 'Non-2xx'; then echo "$what: wrk saw answers other than 2xx" >&2; exit 1; fi
  printf '| %s | %s / %s | %s |\n' "$what" "$(pct "$w1" 50%)" "$(pct "$w1" 99%)" "$(rps "$w64")"
}
{
  echo "| request | one connection p50 / p99 | 64 connections (req/s) |"
  echo "|---|---|---|"
  row "release list, $VERSIONS releases" application/vnd.swift.registry.v1+json "${endpoint}mona/LinkedList"
  row "release information" application/vnd.swift.registry.v1+json "${endpoint}mona/LinkedList/1.0.1"
  row "Package.swift" application/vnd.swift.registry.v1+swift "${endpoint}mona/LinkedList/1.0.1/Package.swift"
  row "source archive ($(stat -c %s "$work/LinkedList.zip") bytes)" application/vnd.swift.registry.v1+zip \
    "${endpoint}mona/LinkedList/1.0.1.zip"
} | tee "$work/table.md"
