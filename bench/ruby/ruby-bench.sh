#!/usr/bin/env bash
# The RubyGems benchmark of issue 16: Wharf (token-checked) against nginx serving the same gem source as static
# files, in one run.
#   bench/ruby/ruby-bench.sh
# The data is the gems Ruby 3.1 bundles (Debian's ruby-full unpacks them under /usr/lib/ruby/gems/3.1.0), built
# again from their files by RubyGems (Gem::Package.build) and pushed into a fresh Wharf with gem push; then
# Wharf's compact index (versions, names, info/*), gem files and marshalled specifications are copied into
# nginx's root (nginx with `etag off`: bundler checks an ETag against the MD5 of the file, which nginx's are not).
#   (a) one info file (test-unit's), wrk on one connection for 10 s: p50 and p99 (target: p50 <= 2 ms); and on
#       64 connections: requests/s
#   (b) bundle install of a Gemfile that needs every pushed gem, with a fresh HOME and BUNDLE_PATH (no cache)
#       each run; $RUNS runs per side, alternating: median wall time (target: Wharf within 1.3x of nginx)
# Env (defaults): RUNS 5, WHARF_BIN (./wharf of this checkout), KEEP=1 keeps the work dir.
# Needs: ruby, gem, bundle, nginx, wrk, curl, python3, the aws CLI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
RUNS="${RUNS:-5}"
WHARF_BIN="${WHARF_BIN:-$root/wharf}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
bundled=/usr/lib/ruby/gems/3.1.0
for tool in ruby gem bundle nginx wrk curl python3 aws; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_work

start_wharf "$(free_port)" "$work/wharf-data"
bench_repository gems ruby

log "build Ruby's bundled gems again and push them into Wharf"
mkdir -p "$work/gems"
# shellcheck disable=SC2012 # names without spaces
full_names=$(ls "$bundled/specifications" | sed 's/\.gemspec$//')
# shellcheck disable=SC2086 # one argument per gem
ruby -e '
  require "rubygems/package"
  base, out = ARGV.shift, ARGV.shift
  ARGV.each do |full|
    spec = Gem::Specification.load(File.join(base, "specifications", full + ".gemspec")) or next
    dir = File.join(base, "gems", full)
    next unless File.directory?(dir)
    Dir.chdir(dir) do
      spec.files = Dir.glob("**/*", File::FNM_DOTMATCH).select { |f| File.file?(f) }
      Gem::Package.build(spec, true, false, File.join(out, spec.file_name))
    end
  rescue StandardError => e # a gem whose installed files lack what its spec lists (native extensions)
    warn "   skipped #{full}: #{e.message}"
  end' "$bundled" "$work/gems" $full_names >/dev/null
pushed=0
for gem in "$work/gems"/*.gem; do
  GEM_HOST_API_KEY="Bearer $token" HOME="$work" gem push "$gem" --host "$endpoint" >/dev/null 2>&1 \
    && pushed=$((pushed + 1))
done
say "$pushed gems pushed"

nginx_port=$(free_port)
static="$work/static"
mkdir -p "$static/info" "$static/gems" "$static/quick/Marshal.4.8"
get() { curl -sf -H "Authorization: Bearer $token" "$endpoint$1" -o "$static/$1"; }
get versions; get names
while read -r name; do
  get "info/$name"
  grep -v '^---$' "$static/info/$name" | while read -r version _; do
    get "gems/$name-$version.gem"; get "quick/Marshal.4.8/$name-$version.gemspec.rz"
  done
done < <(tail -n +2 "$static/names")
start_nginx "$nginx_port" "$static" "etag off"
nginx_url="http://127.0.0.1:$nginx_port/"

log "(a) test-unit's info file"
info=info/test-unit
rows=$(document_rows "$info" "Authorization: Bearer $token" "$endpoint$info" "$nginx_url$info")

log "(b) bundle install, fresh HOME and BUNDLE_PATH, $RUNS runs each"
host=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlparse(sys.argv[1]).hostname.replace(".", "__").upper())' "$endpoint")
install() { # side -> seconds
  local dir="$work/project-$1-$RANDOM" url="$endpoint" start end
  [ "$1" = nginx ] && url="$nginx_url"
  mkdir -p "$dir/home"
  { echo "source \"$url\""; sed 's/.*/gem "&"/' "$work/installable"; } >"$dir/Gemfile"
  start=$(date +%s.%N)
  (cd "$dir" && env "BUNDLE_$host=aws:$token" HOME="$dir/home" BUNDLE_PATH="$dir/vendor" GEM_HOME="$dir/gem-home" \
    bundle install --quiet >"$work/install-$1.log" 2>&1) \
    || { echo "bundle install from $1 failed:" >&2; tail -n 20 "$work/install-$1.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$(grep -c '^    ' "$dir/Gemfile.lock") $(echo "$end - $start" | bc)"
  rm -rf "$dir"
}
# the gems whose runtime dependencies are all there (a bundled gem with native extensions cannot be rebuilt)
python3 - "$static" >"$work/installable" <<'PY'
import os, sys
static = sys.argv[1]
names = [n for n in open(os.path.join(static, "names")).read().split("\n")[1:] if n]
deps = {}
for n in names:
    lines = [l for l in open(os.path.join(static, "info", n)).read().split("\n")[1:] if l]
    deps[n] = {d.split(":")[0] for l in lines for d in l.split(" ", 1)[1].split("|")[0].split(",") if d}
ok = set(names)
while True:
    bad = {n for n in ok if not deps[n] <= ok}
    if not bad:
        break
    ok -= bad
print("\n".join(sorted(ok)))
PY
alternate "$RUNS" install "gems in the lock file"

printf '\n| measure | Wharf | nginx | Wharf / nginx |\n|---|---|---|---|\n%s\n' "$rows"
printf '| (b) bundle install, cold, median of %s (s) | %s | %s | %.2fx |\n' "$RUNS" "$median_wharf" "$median_nginx" \
  "$(echo "$median_wharf / $median_nginx" | bc -l)"
printf '\nload average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
