#!/usr/bin/env bash
# Package files and metadata against the physical limit (issue 15): Wharf serving a package file, token-checked,
# policy-evaluated and audited, side by side with nginx serving the same bytes as a static file
# (worker_processes auto, sendfile on, access log off), in one run, for each format of FORMATS.
#   bench/files/file-bench.sh [seconds] [connections] [size-bytes]     defaults: 10 64 58342
# Starts both servers itself (Wharf with ./wharf server on a fresh data directory and the launcher's
# default settings; nginx from PATH on its own config) and publishes, per format, one file of about the
# given size with random bytes inside (so gzip cannot shrink it) the way its client does, then fetches it
# at the URL that client would use, with its credentials:
#   npm    a tarball, PUT of the packument with it attached; GET <endpoint>filebench/-/filebench-1.0.0.tgz,
#          Authorization: Bearer <token>
#   pypi   a wheel of exactly the size, uploaded the way twine does (bench/pypi/pypi_tool.py: legacy API,
#          multipart); GET of the file's URL on simple/filebench/, Authorization: Basic aws:<token>
#   maven  a jar of exactly the size and its POM, PUT; GET <endpoint>bench/files/filebench/1.0.0/filebench-1.0.0.jar,
#          Authorization: Basic aws:<token>
#   nuget  a .nupkg (a .nuspec, the OPC parts and a file of random bytes, stored) of exactly the size, pushed as
#          dotnet nuget push does (PUT of a multipart body with the package to the service index's
#          PackagePublish/2.0.0); GET <PackageBaseAddress/3.0.0>filebench/1.0.0/filebench.1.0.0.nupkg,
#          Authorization: Basic aws:<token>
#   swift  a source archive (FileBench/Package.swift and a file of random bytes, stored) of exactly the size,
#          published as SwiftPM does (PUT <endpoint>bench/FileBench/1.0.0, multipart source-archive and metadata);
#          GET <endpoint>bench/FileBench/1.0.0.zip, Authorization: Bearer <token>,
#          Accept: application/vnd.swift.registry.v1+zip
# With METADATA=N (default 0: off) it also publishes a package of N versions per format and compares its
# metadata with nginx serving the very bytes Wharf rendered (fetched once with curl, as static files): npm's
# packument, full and abbreviated (Accept: application/vnd.npm.install-v1+json); PyPI's simple page of N files,
# HTML (Accept: text/html) and PEP 691 JSON (Accept: application/vnd.pypi.simple.v1+json); Maven's
# maven-metadata.xml of N versions; NuGet's registration index (<RegistrationsBaseUrl/3.6.0>metabench/index.json)
# of N versions; Swift's release list (<endpoint>bench/MetaBench, Accept: application/vnd.swift.registry.v1+json)
# of N releases.
# Both sides get the same request headers (Authorization, Accept; no Accept-Encoding, as wrk sends none, so
# both answer uncompressed bytes), and nginx answers each file with the Content-Type Wharf answered.
# Per case, wrk -t2 runs on each side in turn, RUNS times (default 2), each after a warm-up (WARMUP seconds,
# default 10: the JIT needs it). Prints one table, a row per case: requests/s, p50, p99, server CPU time per
# request (utime+stime from /proc/PID/stat over the measured runs, all nginx workers summed), Wharf / nginx
# requests/s, and RSS after the case.
# Env: FORMATS ("npm pypi maven nuget swift"), METADATA (0), RUNS (2), WARMUP (10), WHARF_PORT (18590),
#   NGINX_PORT (18591), WHARF_BIN (./wharf of this checkout), KEEP=1 keeps the work directory.
# Needs: wrk, nginx, curl, python3, the aws CLI.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-10}"
connections="${2:-64}"
size="${3:-58342}"
FORMATS="${FORMATS:-npm pypi maven nuget swift}"
METADATA="${METADATA:-0}"
RUNS="${RUNS:-2}"
WARMUP="${WARMUP:-10}"
WHARF_PORT="${WHARF_PORT:-18590}"
NGINX_PORT="${NGINX_PORT:-18591}"
WHARF_BIN="${WHARF_BIN:-$root/wharf}"
pypi_tool="$root/bench/pypi/pypi_tool.py"
for format in $FORMATS; do
  case "$format" in
    npm | pypi | maven | nuget | swift) ;;
    *) echo "FORMATS: no format $format (npm, pypi, maven, nuget, swift)" >&2; exit 1 ;;
  esac
done
[ -n "${FORMATS// /}" ] || { echo "FORMATS names no format" >&2; exit 1; }
has() { [[ " $FORMATS " == *" $1 "* ]]; }
for tool in wrk nginx curl python3 aws; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
work="$(mktemp -d)"
chmod 755 "$work"  # nginx workers run as another user
www="$work/www"    # nginx's root: a copy of each case's answer, named after the case
mkdir -p "$www" "$work/pkg"
cleanup() {
  if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  kill "$(jobs -p)" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

ticks() { # utime+stime of the processes $@, in clock ticks
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
rss_mb() { echo $(( $(ps -o rss= -p "$1" | tr -d ' ') / 1024 )); }

"$WHARF_BIN" server --port "$WHARF_PORT" --data "$work/data" --bind 127.0.0.1 >"$work/wharf.log" 2>&1 &
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$WHARF_PORT/health" >/dev/null && break; sleep 0.2; done
wharf_pid=$(ss -ltnp "sport = :$WHARF_PORT" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n1)
aws_wharf() {
  AWS_SHARED_CREDENTIALS_FILE="$work/data/credentials" AWS_CONFIG_FILE="$work/data/config" \
    aws --endpoint-url "http://127.0.0.1:$WHARF_PORT" "$@"
}
aws_wharf codeartifact create-domain --domain bench >/dev/null
aws_wharf codeartifact create-repository --domain bench --repository files >/dev/null
token=$(aws_wharf codeartifact get-authorization-token --domain bench --query authorizationToken --output text)
endpoint() { # format: the repository's endpoint for it, ending in '/'
  local url
  url=$(aws_wharf codeartifact get-repository-endpoint --domain bench --repository files --format "$1" \
    --query repositoryEndpoint --output text)
  echo "${url%/}/"
}
bearer="Authorization: Bearer $token"
basic="Authorization: Basic $(printf 'aws:%s' "$token" | base64 -w0)"

# The cases, in the table's order. serve() registers one: Wharf's answer to a client's request, saved once as
# nginx's file; compare() measures it on both sides.
cases=()
declare -A case_label case_url case_type
serve() { # id label wharf-url source header... : source is the uploaded file the answer must equal, or - (rendered)
  local id=$1 h got
  local headers=()
  case_label[$id]=$2 case_url[$id]=$3
  local source=$4
  shift 4
  for h in "$@"; do headers+=(-H "$h"); done
  got=$(curl -sS -o "$www/$id" -w '%{http_code} %{content_type}' "${headers[@]}" "${case_url[$id]}")
  [ "${got%% *}" = 200 ] || { echo "${case_url[$id]} answered ${got%% *}, not 200" >&2; exit 1; }
  if [ "$source" != - ] && ! cmp -s "$source" "$www/$id"; then
    echo "${case_url[$id]} answered other bytes than $source" >&2; exit 1
  fi
  chmod a+r "$www/$id"
  case_type[$id]=${got#* }
  for h in "$@"; do printf 'wrk.headers["%s"] = "%s"\n' "${h%%: *}" "${h#*: }"; done > "$work/$id.lua"
  cases+=("$id")
}

sized_zip() { # path bytes blob [name text]... : a zip (the named texts, then blob: random bytes), stored, of exactly
  # bytes, or its smallest (an empty blob); the jar, the .nupkg and the Swift source archive are each one
  python3 - "$@" <<'PY'
import os, sys, zipfile
path, size, blob, texts = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
def write(payload):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, text in zip(texts[::2], texts[1::2]):
            z.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), text)
        z.writestr(zipfile.ZipInfo(blob, (2020, 1, 1, 0, 0, 0)), payload)
payload = os.urandom(size)
write(b"")
write(payload[:max(0, size - os.path.getsize(path))])  # stored: the archive grows byte for byte
PY
}

if has npm; then
  npm_endpoint=$(endpoint npm)
  # the tarball: package.json and a random file of the size asked for (less the archive's overhead)
  mkdir -p "$work/pkg/package"
  head -c "$((size > 2000 ? size - 1500 : size))" /dev/urandom > "$work/pkg/package/blob.bin"
  echo '{"name":"filebench","version":"1.0.0"}' > "$work/pkg/package/package.json"
  tar -czf "$work/pkg/filebench-1.0.0.tgz" -C "$work/pkg" package
  python3 - "$work/pkg/filebench-1.0.0.tgz" "$work/publish.json" <<'PY'
import base64, hashlib, json, sys
data = open(sys.argv[1], 'rb').read()
dist = {"integrity": "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode(),
        "shasum": hashlib.sha1(data).hexdigest(), "tarball": "http://x/filebench-1.0.0.tgz"}
body = {"_id": "filebench", "name": "filebench", "dist-tags": {"latest": "1.0.0"},
        "versions": {"1.0.0": {"name": "filebench", "version": "1.0.0", "_id": "filebench@1.0.0", "dist": dist}},
        "_attachments": {"filebench-1.0.0.tgz": {"content_type": "application/octet-stream",
                                                 "data": base64.b64encode(data).decode(), "length": len(data)}}}
json.dump(body, open(sys.argv[2], 'w'))
PY
  curl -sf -X PUT -H "$bearer" -H 'Content-Type: application/json' \
    --data-binary @"$work/publish.json" "${npm_endpoint}filebench" >/dev/null
  serve npm-tarball "npm tarball" "${npm_endpoint}filebench/-/filebench-1.0.0.tgz" "$work/pkg/filebench-1.0.0.tgz" \
    "$bearer"
  if [ "$METADATA" -gt 0 ]; then
    for v in $(seq 1 "$METADATA"); do
      mkdir -p "$work/meta/package"
      echo "{\"name\":\"metabench\",\"version\":\"1.0.$v\",\"description\":\"version $v\",\"dependencies\":{\"express\":\"^4.21.2\",\"lodash\":\"^4.17.21\"}}" \
        > "$work/meta/package/package.json"
      tar -czf "$work/meta.tgz" -C "$work/meta" package
      python3 - "$work/meta.tgz" "$work/meta.json" "1.0.$v" <<'PY'
import base64, hashlib, json, sys
data = open(sys.argv[1], 'rb').read(); version = sys.argv[3]
dist = {"integrity": "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode(),
        "shasum": hashlib.sha1(data).hexdigest(), "tarball": "http://x/metabench-%s.tgz" % version}
manifest = {"name": "metabench", "version": version, "_id": "metabench@" + version, "description": "version " + version,
            "dependencies": {"express": "^4.21.2", "lodash": "^4.17.21"}, "dist": dist}
body = {"_id": "metabench", "name": "metabench", "dist-tags": {"latest": version}, "versions": {version: manifest},
        "_attachments": {"metabench-%s.tgz" % version: {"content_type": "application/octet-stream",
                                                       "data": base64.b64encode(data).decode(), "length": len(data)}}}
json.dump(body, open(sys.argv[2], 'w'))
PY
      curl -sS --fail-with-body -X PUT -H "$bearer" -H 'Content-Type: application/json' \
        --data-binary @"$work/meta.json" "${npm_endpoint}metabench" >/dev/null
    done
    serve npm-full "npm packument, full, $METADATA versions" "${npm_endpoint}metabench" - "$bearer"
    serve npm-abbreviated "npm packument, abbreviated, $METADATA versions" "${npm_endpoint}metabench" - "$bearer" \
      "Accept: application/vnd.npm.install-v1+json"
  fi
fi

if has pypi; then
  pypi_endpoint=$(endpoint pypi)
  file_url() { # simple-page-url file-name: the file's URL on that page (HTML), resolved as pip resolves it
    curl -sSf -H "$basic" -H 'Accept: text/html' "$1" | python3 -c '
import html, re, sys, urllib.parse
page, name = sys.argv[1], sys.argv[2]
for href in re.findall(r"href=\"([^\"]+)\"", sys.stdin.read()):
    url = urllib.parse.urljoin(page, html.unescape(href)).split("#")[0]
    if urllib.parse.unquote(url.rsplit("/", 1)[-1]) == name:
        print(url)
        break
else:
    sys.exit(f"{name} is not on {page}")' "$1" "$2"
  }
  wheel="$work/pkg/filebench-1.0.0-py3-none-any.whl"
  python3 "$pypi_tool" sized "$wheel" filebench 1.0.0 "$size"
  python3 "$pypi_tool" upload "$pypi_endpoint" "$token" "$wheel"
  wheel_url=$(file_url "${pypi_endpoint}simple/filebench/" "$(basename "$wheel")")
  serve pypi-wheel "PyPI wheel" "$wheel_url" "$wheel" "$basic"
  if [ "$METADATA" -gt 0 ]; then
    mapfile -t wheels < <(python3 "$pypi_tool" many "$work/wheels" metabench "$METADATA")
    python3 "$pypi_tool" upload "$pypi_endpoint" "$token" "${wheels[@]}"
    serve pypi-html "PyPI simple page, HTML, $METADATA files" "${pypi_endpoint}simple/metabench/" - "$basic" \
      "Accept: text/html"
    serve pypi-json "PyPI simple page, JSON, $METADATA files" "${pypi_endpoint}simple/metabench/" - "$basic" \
      "Accept: application/vnd.pypi.simple.v1+json"
  fi
fi

if has maven; then
  maven_endpoint=$(endpoint maven)
  maven_deploy() { # group-path artifact jar version... : PUT of each version's POM and jar, one curl
    local group=$1 artifact=$2 jar=$3 version base pom
    shift 3
    mkdir -p "$work/poms"
    : > "$work/deploy.curl"
    for version in "$@"; do
      base="$maven_endpoint$group/$artifact/$version/$artifact-$version"
      pom="$work/poms/$artifact-$version.pom"
      printf '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version></project>\n' \
        "${group//\//.}" "$artifact" "$version" > "$pom"
      printf 'url = "%s"\nupload-file = "%s"\noutput = "/dev/null"\n' "$base.pom" "$pom" "$base.jar" "$jar" \
        >> "$work/deploy.curl"
    done
    curl -sS --fail --fail-early -H "$basic" -K "$work/deploy.curl"
  }
  make_jar() { sized_zip "$1" "$2" blob.bin META-INF/MANIFEST.MF $'Manifest-Version: 1.0\r\nCreated-By: wharf-bench\r\n\r\n'; }
  make_jar "$work/pkg/filebench-1.0.0.jar" "$size"
  maven_deploy bench/files filebench "$work/pkg/filebench-1.0.0.jar" 1.0.0
  serve maven-jar "Maven jar" "${maven_endpoint}bench/files/filebench/1.0.0/filebench-1.0.0.jar" \
    "$work/pkg/filebench-1.0.0.jar" "$basic"
  if [ "$METADATA" -gt 0 ]; then
    make_jar "$work/pkg/metabench.jar" 0
    # shellcheck disable=SC2046
    maven_deploy bench/meta metabench "$work/pkg/metabench.jar" $(seq -f '1.0.%g' 1 "$METADATA")
    serve maven-metadata "maven-metadata.xml, $METADATA versions" \
      "${maven_endpoint}bench/meta/metabench/maven-metadata.xml" - "$basic"
  fi
fi

if has nuget; then
  nuget_endpoint=$(endpoint nuget)
  nuget_resource() { # type: the service index's first resource of that type, as the NuGet client picks it
    curl -sSf -H "$basic" "${nuget_endpoint}v3/index.json" | python3 -c '
import json, sys
for resource in json.load(sys.stdin)["resources"]:
    if resource["@type"] == sys.argv[1]:
        print(resource["@id"].rstrip("/") + "/")
        break
else:
    sys.exit(f"no {sys.argv[1]} in the service index")' "$1"
  }
  nuget_publish=$(nuget_resource PackagePublish/2.0.0)
  nuget_push() { # id version bytes: a .nupkg (the OPC parts, its .nuspec, random bytes) of exactly bytes, pushed
    local nupkg="$work/pkg/$1.$2.nupkg" opc='http://schemas.openxmlformats.org/package/2006' types rels nuspec
    types="<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"$opc/content-types\">"
    types+='<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />'
    types+='<Default Extension="nuspec" ContentType="application/octet" />'
    types+='<Default Extension="bin" ContentType="application/octet" /></Types>'
    rels="<?xml version=\"1.0\" encoding=\"utf-8\"?><Relationships xmlns=\"$opc/relationships\"><Relationship"
    rels+=" Type=\"http://schemas.microsoft.com/packaging/2010/07/manifest\" Target=\"/$1.nuspec\" Id=\"R1\" />"
    rels+='</Relationships>'
    nuspec='<?xml version="1.0" encoding="utf-8"?>'
    nuspec+='<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata>'
    nuspec+="<id>$1</id><version>$2</version><authors>wharf-bench</authors>"
    nuspec+="<description>Random bytes for file-bench.sh, version $2.</description><dependencies>"
    nuspec+='<group targetFramework="net8.0"><dependency id="Newtonsoft.Json" version="13.0.3" /></group>'
    nuspec+='</dependencies></metadata></package>'
    sized_zip "$nupkg" "$3" content/blob.bin '[Content_Types].xml' "$types" _rels/.rels "$rels" "$1.nuspec" "$nuspec"
    # dotnet nuget push: one file part named "package"
    curl -sS --fail-with-body -X PUT -H "$basic" \
      -F "package=@$nupkg;filename=package.nupkg;type=application/octet-stream" "$nuget_publish" >/dev/null
  }
  nuget_push FileBench 1.0.0 "$size"
  serve nuget-nupkg "NuGet .nupkg" "$(nuget_resource PackageBaseAddress/3.0.0)filebench/1.0.0/filebench.1.0.0.nupkg" \
    "$work/pkg/FileBench.1.0.0.nupkg" "$basic"
  if [ "$METADATA" -gt 0 ]; then
    for v in $(seq 1 "$METADATA"); do nuget_push MetaBench "1.0.$v" 0; done
    serve nuget-registration "NuGet registration index, $METADATA versions" \
      "$(nuget_resource RegistrationsBaseUrl/3.6.0)metabench/index.json" - "$basic"
  fi
fi

if has swift; then
  swift_endpoint=$(endpoint swift)
  swift_publish() { # name version bytes: a source archive (Package.swift and a file of random bytes in one folder,
    # as 'swift package archive-source' lays it out) of exactly bytes, published as SwiftPM's RegistryClient does
    local archive="$work/pkg/$1-$2.zip"
    sized_zip "$archive" "$3" "$1/Sources/$1/blob.bin" "$1/Package.swift" "// swift-tools-version:5.9
import PackageDescription

let package = Package(name: \"$1\", targets: [.target(name: \"$1\")])
"
    curl -sS --fail-with-body -X PUT -H "$bearer" -H 'Accept: application/vnd.swift.registry.v1+json' \
      -H 'Prefer: respond-async' -F "source-archive=@$archive;type=application/zip" \
      -F "metadata={\"description\": \"Random bytes for file-bench.sh, version $2.\"};type=application/json" \
      "${swift_endpoint}bench/$1/$2" >/dev/null
  }
  swift_publish FileBench 1.0.0 "$size"
  serve swift-archive "Swift source archive" "${swift_endpoint}bench/FileBench/1.0.0.zip" \
    "$work/pkg/FileBench-1.0.0.zip" "$bearer" "Accept: application/vnd.swift.registry.v1+zip"
  if [ "$METADATA" -gt 0 ]; then
    for v in $(seq 1 "$METADATA"); do swift_publish MetaBench "1.0.$v" 0; done
    serve swift-releases "Swift release list, $METADATA releases" "${swift_endpoint}bench/MetaBench" - "$bearer" \
      "Accept: application/vnd.swift.registry.v1+json"
  fi
fi

{
  cat <<EOF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;  # Jetty has no such limit: reconnects would slow nginx alone
  sendfile on;
  tcp_nopush on;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $www;
EOF
  for id in "${cases[@]}"; do
    printf '    location = /%s { types { } default_type "%s"; }\n' "$id" "${case_type[$id]}"
  done
  printf '  }\n}\n'
} > "$work/nginx.conf"
nginx -c "$work/nginx.conf"
for _ in $(seq 1 50); do [ -s "$work/nginx.pid" ] && break; sleep 0.1; done
read -r -a nginx_pids <<<"$(pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' ')"

declare -A rps p50 p99 cpu
run() { # id side url pid... : a warm-up, then a measured run; appends its figures under "id side"
  local id=$1 key="$1 $2" url=$3
  shift 3
  wrk -t2 -c"$connections" -d"${WARMUP}s" -s "$work/$id.lua" "$url" >/dev/null
  local before after out n
  before=$(ticks "$@")
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/$id.lua" "$url")
  after=$(ticks "$@")
  if grep -q "Non-2xx" <<<"$out"; then echo "$key: $(grep Non-2xx <<<"$out")" >&2; exit 1; fi
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  rps[$key]+="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out") "
  p50[$key]+="$(awk '$1 == "50%" {print $2}' <<<"$out") "
  p99[$key]+="$(awk '$1 == "99%" {print $2}' <<<"$out") "
  cpu[$key]+="$(python3 -c "import os; print(round(($after - $before) / os.sysconf('SC_CLK_TCK') / $n * 1e6, 1))") "
}
mean() { python3 -c "import sys; v=[float(x) for x in sys.argv[1].split()]; print(round(sum(v)/len(v)))" "$1"; }
rows=()
compare() { # id: Wharf's URL and nginx's copy of its answer, in turn, RUNS times; appends the case's row
  local id=$1 nginx_url="http://127.0.0.1:$NGINX_PORT/$1" bytes got w n pid nginx_rss=0
  bytes=$(stat -c %s "$www/$id")
  got=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %{content_type}' "$nginx_url")
  [ "$got" = "200 $bytes ${case_type[$id]}" ] \
    || { echo "$nginx_url answered $got, not 200 $bytes ${case_type[$id]}" >&2; exit 1; }
  echo "${case_label[$id]} ($bytes bytes, ${case_type[$id]}): $RUNS x ${WARMUP}+${seconds} s on each side" >&2
  for _ in $(seq 1 "$RUNS"); do
    run "$id" wharf "${case_url[$id]}" "$wharf_pid"
    run "$id" nginx "$nginx_url" "${nginx_pids[@]}"
  done
  w=$(mean "${rps[$id wharf]}"); n=$(mean "${rps[$id nginx]}")
  for pid in "${nginx_pids[@]}"; do nginx_rss=$((nginx_rss + $(rss_mb "$pid"))); done
  rows+=("| ${case_label[$id]} | $bytes | ${rps[$id wharf]}(mean $w) | ${rps[$id nginx]}(mean $n) | $(python3 -c "print(f'{100 * $w / $n:.0f} %')") | ${p50[$id wharf]}/ ${p50[$id nginx]}| ${p99[$id wharf]}/ ${p99[$id nginx]}| ${cpu[$id wharf]}/ ${cpu[$id nginx]}| $(rss_mb "$wharf_pid") / $nginx_rss MB |")
}
for id in "${cases[@]}"; do compare "$id"; done

echo
echo "## wrk -t2 -c$connections -d${seconds}s after ${WARMUP}s warm-up, x $RUNS runs each side, $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "| case | bytes | Wharf requests/s (runs) | nginx requests/s (runs) | Wharf / nginx | p50 Wharf / nginx (runs) | p99 Wharf / nginx (runs) | CPU µs/request Wharf / nginx (runs) | RSS after, Wharf / nginx workers |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
