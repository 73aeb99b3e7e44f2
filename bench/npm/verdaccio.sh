#!/usr/bin/env bash
# Verdaccio 6.8.0, the peer registry of the npm benchmark (issue 4), with auth on.
#   bench/npm/verdaccio.sh start PORT DIR   install (once, into bench/npm/.cache/verdaccio), write
#                                           DIR/config.yaml, start it on 127.0.0.1:PORT in the
#                                           background (pid in DIR/verdaccio.pid, log DIR/verdaccio.log),
#                                           create the user "bench" through the registry's REST API
#                                           and print that user's token on stdout
#   bench/npm/verdaccio.sh stop PORT DIR    stop the one started with that DIR
# The config: htpasswd auth with max_users 1 (only the bench user can ever be created), every
# package `access` and `publish` by $authenticated only, no uplinks (it serves only what was
# published to it), max_body_size 400mb (the 200 MB tarball of the memory test, base64 in JSON),
# and JWT API tokens (security.api.jwt): a request's token is checked by its HMAC. Verdaccio's
# default ("legacy") token instead makes every request re-check the password against htpasswd
# (bcrypt, ~0.1 s of CPU each: about 10 requests/s on this machine); VERDACCIO_LEGACY_TOKENS=1
# keeps that default.
# The install uses bench/npm/verdaccio/package.json and its lockfile: verdaccio 6.8.0 with an
# override pinning node-fetch 2.7.0 (without it, it does not install here).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
usage() { echo "usage: $0 start|stop PORT DIR" >&2; exit 2; }
[ $# -eq 3 ] || usage
cmd="$1"; port="$2"; dir="$3"
install="$here/.cache/verdaccio"
user=bench; password=bench-password-1

case "$cmd" in
stop)
  if [ -f "$dir/verdaccio.pid" ]; then
    pid=$(cat "$dir/verdaccio.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/verdaccio.pid"
  fi
  exit 0 ;;
start) ;;
*) usage ;;
esac

if [ ! -x "$install/node_modules/.bin/verdaccio" ] || ! cmp -s "$here/verdaccio/package.json" "$install/package.json"; then
  echo "installing verdaccio 6.8.0 into $install" >&2
  rm -rf "$install"; mkdir -p "$install"
  cp "$here/verdaccio/package.json" "$here/verdaccio/package-lock.json" "$install/"
  tmprc="$(mktemp)"; printf 'fund=false\naudit=false\nupdate-notifier=false\n' >"$tmprc"
  (cd "$install" && npm ci --userconfig "$tmprc" --cache "$here/.cache/npm-cache" --ignore-scripts --no-audit --no-fund >&2)
  rm -f "$tmprc"
fi

mkdir -p "$dir/storage"
dir="$(cd "$dir" && pwd)"
cat >"$dir/config.yaml" <<YAML
storage: $dir/storage
auth:
  htpasswd:
    file: $dir/htpasswd
    max_users: 1
uplinks: {}
packages:
  '@*/*':
    access: \$authenticated
    publish: \$authenticated
    unpublish: \$authenticated
  '**':
    access: \$authenticated
    publish: \$authenticated
    unpublish: \$authenticated
listen: 127.0.0.1:$port
max_body_size: 400mb
server:
  keepAliveTimeout: 60
web:
  enable: false
security:
  api:
    legacy: false
    jwt:
      sign:
        expiresIn: 7d
YAML
if [ "${VERDACCIO_LEGACY_TOKENS:-0}" = 1 ]; then
  # Verdaccio's default token: an encrypted user:password that every request re-checks against
  # the htpasswd file, i.e. one bcrypt (cost 10, ~0.1 s of CPU) per request.
  sed -i '/^security:/,$d' "$dir/config.yaml"
fi
cat >>"$dir/config.yaml" <<YAML
log: { type: file, path: $dir/verdaccio-app.log, format: json, level: warn }
YAML

base="http://127.0.0.1:$port"
if [ -f "$dir/verdaccio.pid" ] && kill -0 "$(cat "$dir/verdaccio.pid")" 2>/dev/null; then
  echo "verdaccio already running from $dir (pid $(cat "$dir/verdaccio.pid"))" >&2
else
  started=""
  trap '[ -n "$started" ] || { [ -f "$dir/verdaccio.pid" ] && kill "$(cat "$dir/verdaccio.pid")" 2>/dev/null; rm -f "$dir/verdaccio.pid"; }' EXIT
  # setsid: the server outlives this script (stop it with `verdaccio.sh stop PORT DIR`)
  # (it warns when run as root; harmless here)
  setsid node "$install/node_modules/verdaccio/bin/verdaccio" --config "$dir/config.yaml" \
    >"$dir/verdaccio.log" 2>&1 </dev/null &
  echo $! >"$dir/verdaccio.pid"
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "$base/-/ping" && break
    kill -0 "$(cat "$dir/verdaccio.pid")" 2>/dev/null || { cat "$dir/verdaccio.log" >&2; exit 1; }
    sleep 0.1
  done
  curl -s -o /dev/null "$base/-/ping" || { echo "verdaccio did not answer on $base" >&2; exit 1; }
  started=yes
fi

# Create the user (or log in when it exists): the same call `npm adduser` makes.
body=$(jq -nc --arg n "$user" --arg p "$password" '{_id:("org.couchdb.user:" + $n), name:$n, password:$p, type:"user", roles:[], date:(now|todate)}')
resp=$(curl -s -X PUT -H 'Content-Type: application/json' --data "$body" "$base/-/user/org.couchdb.user:$user")
token=$(jq -r '.token // empty' <<<"$resp")
if [ -z "$token" ]; then # already registered: a login is the same PUT with Basic credentials
  resp=$(curl -s -X PUT -u "$user:$password" -H 'Content-Type: application/json' --data "$body" "$base/-/user/org.couchdb.user:$user")
  token=$(jq -r '.token // empty' <<<"$resp")
fi
[ -n "$token" ] || { echo "no token from verdaccio: $resp" >&2; exit 1; }
echo "$token"
