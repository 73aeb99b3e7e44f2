#!/usr/bin/env bash
# Publishes every tarball cached by fetch-tree.sh (bench/npm/.cache/tarballs/*.tgz) to one
# registry with the real npm client, authenticated by a bearer token.
#   bench/npm/publish-tree.sh REGISTRY_URL TOKEN
# REGISTRY_URL: e.g. http://127.0.0.1:4873/ (Verdaccio) or
#   http://127.0.0.1:8080/bench-123456789012/npm/tree/ (Wharf). TOKEN: an npm _authToken
#   (Verdaccio's from verdaccio.sh; Wharf's from `aws codeartifact get-authorization-token`).
# npm runs with a temporary userconfig holding only `//host:port/path/:_authToken=TOKEN`, and
# --ignore-scripts. Order does not matter; where a name has several versions, the highest keeps
# `latest` and the others go out under the dist-tag `bench-older` (npm 11 refuses to move
# `latest` backwards). A version already there (403/409 "cannot publish over") counts as
# already published. Prints: published, already there, failed. Exits 1 when any failed.
# Env: JOBS (parallel npm processes, default 3), TARBALLS (default bench/npm/.cache/tarballs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -eq 2 ] || { echo "usage: $0 REGISTRY_URL TOKEN" >&2; exit 2; }
registry="${1%/}/"
token="$2"
jobs="${JOBS:-3}"
tarballs="${TARBALLS:-$here/.cache/tarballs}"
compgen -G "$tarballs/*.tgz" >/dev/null || { echo "no tarballs in $tarballs: run bench/npm/fetch-tree.sh" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
nerf="${registry#http:}"; nerf="${nerf#https:}"   # //host:port/path/
printf 'registry=%s\n%s:_authToken=%s\nfund=false\naudit=false\nupdate-notifier=false\n' \
  "$registry" "$nerf" "$token" >"$work/npmrc"
mkdir -p "$work/cache" "$work/out"

# name<TAB>version<TAB>file, from each tarball's own package.json
for f in "$tarballs"/*.tgz; do
  tar -xzOf "$f" --wildcards '*/package.json' 2>/dev/null | jq -r --arg f "$f" 'select(.name) | [.name, .version, $f] | @tsv' | head -n1
done >"$work/list.tsv"
# the highest version of each name (semver order by sort -V, good enough for release versions)
sort -t$'\t' -k1,1 -k2,2V "$work/list.tsv" | awk -F'\t' '{last[$1]=$2} END {for (n in last) print n "\t" last[n]}' >"$work/latest.tsv"

publish_one() { # name version file
  local name="$1" version="$2" file="$3" tag=() out
  grep -qxF "$name"$'\t'"$version" "$work/latest.tsv" || tag=(--tag bench-older)
  out="$work/out/$(basename "$file").log"
  if npm publish "$file" "${tag[@]}" --registry "$registry" --userconfig "$work/npmrc" \
       --cache "$work/cache" --ignore-scripts --no-provenance >"$out" 2>&1; then
    echo published
  elif grep -qiE 'previously published|already present|cannot publish over|EPUBLISHCONFLICT|E409' "$out"; then
    echo already
  else
    echo "FAILED $name@$version: $(grep -m3 -E 'npm error' "$out" | tr '\n' ' ')" >&2
    echo failed
  fi
}
export -f publish_one
export work registry
start=$(date +%s)
tr '\t' '\n' <"$work/list.tsv" | xargs -d '\n' -n 3 -P "$jobs" bash -c 'publish_one "$@"' _ >"$work/results"
published=$(grep -cx published "$work/results" || true)
already=$(grep -cx already "$work/results" || true)
failed=$(grep -cx failed "$work/results" || true)
echo "$registry: $published published, $already already there, $failed failed, of $(wc -l <"$work/list.tsv") tarballs in $(( $(date +%s) - start )) s"
[ "$failed" -eq 0 ]
