#!/usr/bin/env bash
# The Cargo benchmark of issue 16: Wharf (token-checked) against nginx serving the same sparse registry as
# static files, in one run.
#   bench/cargo/cargo-bench.sh
# The data is the crates.io crates Debian unpacks under /usr/share/cargo/registry (apt-get install
# librust-serde-json-dev librust-regex-dev librust-anyhow-dev: 81 crates), published into a fresh Wharf with
# cargo's publish protocol (bench/cargo/crates.py), then copied out of Wharf (index files and .crate files,
# checksums verified) into nginx's root as a static sparse registry. Then:
#   (a) one index file (serde_json's), wrk on one connection for 10 s: p50 and p99 (target: p50 <= 2 ms);
#       and on 64 connections: requests/s
#   (b) cargo fetch of a project that depends on every crate of the set whose required dependencies are all
#       in it (crates.py resolvable: all 81 today, at their exact versions), with a fresh CARGO_HOME (no
#       index or crate cache) and no Cargo.lock each run, crates.io replaced by the registry; $RUNS runs per
#       side, alternating: median wall time (target: Wharf within 1.3x of nginx)
# Env (defaults): RUNS 5, WHARF_BIN (./wharf of this checkout), KEEP=1 keeps the work dir.
# Needs: cargo, nginx, wrk, curl, python3 (3.11: tomllib), the aws CLI, Debian's crates.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
RUNS="${RUNS:-5}"
WHARF_BIN="${WHARF_BIN:-$root/wharf}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
PATH="$PATH:$HOME/.cargo/bin"
for tool in cargo nginx wrk curl python3 aws; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
[ -d /usr/share/cargo/registry/serde_json-1.0.87 ] || { echo "needs Debian's crates (see the header)" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_work

start_wharf "$(free_port)" "$work/wharf-data"
bench_repository crates cargo
log "publish Debian's crates into Wharf"
python3 "$here/crates.py" publish "$endpoint" "$token" /usr/share/cargo/registry/*/
names=$(for d in /usr/share/cargo/registry/*/; do sed -n 's/^name = "\(.*\)"/\1/p' "$d/Cargo.toml" | head -n1; done)

nginx_port=$(free_port)
static="$work/static"
mkdir -p "$static"
# shellcheck disable=SC2086 # one argument per crate name
python3 "$here/crates.py" stage "$endpoint" "$token" "$static" $names
printf '{"dl":"http://127.0.0.1:%s/crates/{crate}/{version}/download"}\n' "$nginx_port" >"$static/config.json"
start_nginx "$nginx_port" "$static"
nginx_url="http://127.0.0.1:$nginx_port/"

log "(a) serde_json's index file"
index=se/rd/serde_json
rows=$(document_rows "$index" "Authorization: $token" "$endpoint$index" "$nginx_url$index")

log "(b) cargo fetch, fresh CARGO_HOME and no Cargo.lock, $RUNS runs each"
project="$work/project"
mkdir -p "$project/src"
cat >"$project/Cargo.toml" <<TOML
[package]
name = "bench-app"
version = "0.1.0"
edition = "2021"

[dependencies]
TOML
python3 "$here/crates.py" resolvable /usr/share/cargo/registry/*/ >"$work/resolvable"
for d in /usr/share/cargo/registry/*/; do
  name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$d/Cargo.toml" | head -n1)
  version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$d/Cargo.toml" | head -n1)
  grep -qx "$name" "$work/resolvable" \
    && printf '%s = "=%s"\n' "$name" "$version" >>"$project/Cargo.toml"
done
echo 'fn main() {}' >"$project/src/main.rs"
fetch() { # side -> seconds
  local home="$work/cargo-$1-$RANDOM" url="$endpoint" start end
  [ "$1" = nginx ] && url="$nginx_url"
  mkdir -p "$home"
  printf '[registries.bench]\nindex = "sparse+%s"\n[source.crates-io]\nreplace-with = "bench"\n' "$url" \
    >"$home/config.toml"
  rm -f "$project/Cargo.lock"
  start=$(date +%s.%N)
  (cd "$project" && CARGO_HOME="$home" CARGO_REGISTRIES_BENCH_TOKEN="$token" \
    CARGO_REGISTRY_GLOBAL_CREDENTIAL_PROVIDERS="cargo:token" cargo fetch --quiet >"$work/fetch-$1.log" 2>&1) \
    || { echo "cargo fetch from $1 failed:" >&2; tail -n 20 "$work/fetch-$1.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$(find "$home/registry/cache" -name '*.crate' | wc -l) $(echo "$end - $start" | bc)"
  rm -rf "$home"
}
alternate "$RUNS" fetch crates

printf '\n| measure | Wharf | nginx | Wharf / nginx |\n|---|---|---|---|\n%s\n' "$rows"
printf '| (b) cargo fetch, cold, median of %s (s) | %s | %s | %.2fx |\n' "$RUNS" "$median_wharf" "$median_nginx" \
  "$(echo "$median_wharf / $median_nginx" | bc -l)"
printf '\nload average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
