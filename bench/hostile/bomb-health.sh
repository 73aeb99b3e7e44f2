#!/usr/bin/env bash
# Decompression bombs against /health (issue 18): two clients publish npm tarballs that are about 1 MB
# gzip'd and 1 GiB inflated (zeros, then package.json), over and over, while a third asks /health every
# 50 ms. Prints each upload's status and time and /health's latencies (p50, p99, max) with and
# without the bombs. Every upload is refused: its package.json names "bomb", not the packument's name, a
# check an unbounded server makes only after inflating the whole gigabyte, a bounded one never reaches.
#   bench/hostile/bomb-health.sh [seconds of bombing, default 20]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=../lib.sh
source "$root/bench/lib.sh"
WHARF_BIN="${WHARF_BIN:-$root/wharf}"
seconds="${1:-20}"

bench_work
port=$(free_port)
start_wharf "$port" "$work/data"
bench_repository app npm
log "bombs for ${seconds}s, /health every 50 ms"
python3 - "$endpoint" "$token" "$port" "$seconds" <<'PY'
import base64, hashlib, io, json, statistics, sys, tarfile, threading, time, urllib.request, zlib

endpoint, token, port, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])

def bomb(name):
    raw = io.BytesIO()
    gz = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = io.BytesIO()
    class Sink:
        def write(self, data):
            out.write(gz.compress(data)); return len(data)
    with tarfile.open(fileobj=Sink(), mode="w|") as tar:
        info = tarfile.TarInfo("package/zeros.bin"); info.size = 1 << 30
        class Zeros(io.RawIOBase):
            left = 1 << 30
            def readable(self):
                return True
            def readinto(self, b):
                n = min(len(b), self.left); b[:n] = bytes(n); self.left -= n; return n
        tar.addfile(info, io.BufferedReader(Zeros(), 1 << 20))
        manifest = json.dumps({"name": name, "version": "1.0.0"}).encode()
        info = tarfile.TarInfo("package/package.json"); info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    out.write(gz.flush())
    return out.getvalue()

def body(name, tgz):
    manifest = {"name": name, "version": "1.0.0", "dist": {
        "integrity": "sha512-" + base64.b64encode(hashlib.sha512(tgz).digest()).decode(),
        "shasum": hashlib.sha1(tgz).hexdigest()}}
    return json.dumps({"_id": name, "name": name, "dist-tags": {"latest": "1.0.0"},
        "versions": {"1.0.0": manifest}, "_attachments": {name + "-1.0.0.tgz": {
            "content_type": "application/octet-stream", "data": base64.b64encode(tgz).decode()}}}).encode()

def health_latencies(until):
    out = []
    while time.time() < until:
        start = time.perf_counter()
        urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=60).read()
        out.append((time.perf_counter() - start) * 1000)
        time.sleep(0.05)
    return out

def summary(ms):
    ms = sorted(ms)
    return f"n={len(ms)} p50={statistics.median(ms):.1f} ms p99={ms[int(len(ms) * 0.99) - 1]:.1f} ms max={ms[-1]:.1f} ms"

tgz = bomb("bomb")
print(f"bomb: {len(tgz)} bytes gzip'd, {1 << 30} bytes of zeros inside", flush=True)
print("health, idle:   " + summary(health_latencies(time.time() + 5)), flush=True)
stop = time.time() + seconds
uploads = []
errors = []
def bomber(client):
    i = 0
    while time.time() < stop:
        name = f"bomb-{client}-{i}"; i += 1
        request = urllib.request.Request(endpoint + name, data=body(name, tgz), method="PUT",
            headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        start = time.perf_counter()
        try:
            status = urllib.request.urlopen(request, timeout=300).status
        except urllib.error.HTTPError as e:
            status = e.code
            if not errors:
                errors.append(e.read().decode(errors="replace")[:300])
        uploads.append((status, time.perf_counter() - start))
threads = [threading.Thread(target=bomber, args=(c,)) for c in range(2)]
for t in threads: t.start()
time.sleep(0.5)
during = health_latencies(stop)
for t in threads: t.join()
statuses = {}
for status, _ in uploads: statuses[status] = statuses.get(status, 0) + 1
print(f"uploads: {len(uploads)}, statuses {statuses}, median {statistics.median(s for _, s in uploads):.2f} s each")
print("health, bombed: " + summary(during))
if errors:
    print("first refusal: " + errors[0])
PY
