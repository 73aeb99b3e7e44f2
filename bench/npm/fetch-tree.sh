#!/usr/bin/env bash
# Fetches a real npm dependency tree (default: the full closure of express@4.21.2 at the
# versions pinned by the committed bench/npm/tree/package-lock.json; another ROOT_SPEC is
# resolved afresh with `npm install --package-lock-only` into the cache) from the npm registry into bench/npm/.cache/tarballs/ with
# `npm pack`, for publishing into Wharf and into Verdaccio (issue 4).
#   bench/npm/fetch-tree.sh [ROOT_SPEC]        ROOT_SPEC defaults to express@4.21.2
# Idempotent: tarballs already in the cache are kept (their sha512 is checked against the
# lockfile); tarballs of another tree are removed. Prints the number of packages. Never commit the cache: it is git-ignored.
# Uses its own temporary userconfig and npm cache, so ~/.npmrc (which sets
# omit-lockfile-registry-resolved=true) does not leak into the lockfile.
# Env: NPM_UPSTREAM (a registry URL; default: npm's own default registry).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="${1:-express@4.21.2}"
upstream="${NPM_UPSTREAM:-}"
cache="$here/.cache"
tarballs="$cache/tarballs"
tree="$cache/tree"           # the project whose lockfile defines the tree
mkdir -p "$tarballs" "$tree"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'fund=false\naudit=false\nupdate-notifier=false\n' >"$work/npmrc"
[ -z "$upstream" ] || printf 'registry=%s\n' "$upstream" >>"$work/npmrc"
npmx() { npm --userconfig "$work/npmrc" --cache "$cache/npm-cache" "$@"; }

name="${root%@*}"; version="${root##*@}"
[ "$name" != "$root" ] && [ -n "$name" ] || { echo "ROOT_SPEC must be name@version" >&2; exit 2; }
jq -n --arg n "$name" --arg v "$version" \
  '{name:"wharf-bench-tree", version:"1.0.0", private:true, dependencies:{($n):$v}}' >"$work/package.json"
if cmp -s "$work/package.json" "$here/tree/package.json"; then
  # the default tree: its lockfile is committed (without `resolved`), so the tree never drifts
  cp "$here/tree/package.json" "$here/tree/package-lock.json" "$tree/"
elif ! cmp -s "$work/package.json" "$tree/package.json" || [ ! -f "$tree/package-lock.json" ]; then
  cp "$work/package.json" "$tree/package.json"
  rm -f "$tree/package-lock.json"
  (cd "$tree" && npmx install --package-lock-only --ignore-scripts --no-audit --no-fund >/dev/null)
fi

# name@version<TAB>integrity<TAB>tarball file name (npm pack's naming: @scope/name -> scope-name-version.tgz)
jq -r '.packages | to_entries[] | select(.key != "" and .value.link != true and .value.version)
       | (.value.name // (.key | sub(".*node_modules/"; ""))) as $n
       | [$n + "@" + .value.version, .value.integrity,
          (($n | sub("^@"; "") | gsub("/"; "-")) + "-" + .value.version + ".tgz")] | @tsv' \
  "$tree/package-lock.json" | sort -u >"$tree/packages.tsv"

# Keep cached tarballs whose sha512 matches the lockfile; pack the rest in one npm process
# (one `npm pack a@1 b@2 …` is far cheaper than one npm start per package).
start=$(date +%s)
missing=()
while IFS=$'\t' read -r spec integrity file; do
  if [ -f "$tarballs/$file" ]; then
    got="sha512-$(openssl dgst -sha512 -binary "$tarballs/$file" | base64 -w0)"
    [ "$got" = "$integrity" ] && continue
    echo "cached $file does not match the lockfile's integrity; fetching it again" >&2
    rm -f "$tarballs/$file"
  fi
  missing+=("$spec")
done <"$tree/packages.tsv"
if [ "${#missing[@]}" -gt 0 ]; then
  echo "packing ${#missing[@]} packages from ${upstream:-the npm registry}" >&2
  npmx pack "${missing[@]}" --pack-destination "$tarballs" --ignore-scripts --silent >/dev/null
fi
while IFS=$'\t' read -r spec integrity file; do
  got="sha512-$(openssl dgst -sha512 -binary "$tarballs/$file" 2>/dev/null | base64 -w0)"
  [ "$got" = "$integrity" ] || { echo "$spec: $file missing or its integrity differs from the lockfile" >&2; exit 1; }
done <"$tree/packages.tsv"
# the folder holds exactly this tree (publish-tree.sh publishes all of it): drop other trees' tarballs
for f in "$tarballs"/*.tgz; do
  [ -e "$f" ] || continue
  cut -f3 "$tree/packages.tsv" | grep -qxF "$(basename "$f")" || rm -f "$f"
done
count=$(wc -l <"$tree/packages.tsv")
echo "$count packages of $root in $tarballs ($(du -sh "$tarballs" | cut -f1), $(( $(date +%s) - start )) s)"
