#!/usr/bin/env python3
"""Helpers of bench/pypi/pypi-bench.sh (standard library only).

  pypi_tool.py many DIR NAME COUNT        generate COUNT tiny wheels of NAME (versions 1.0.0, 1.0.1, ...)
  pypi_tool.py big FILE NAME MB           generate one wheel holding MB MiB of random bytes (stored, not deflated)
  pypi_tool.py sized FILE NAME VERSION BYTES
                                          generate one wheel of exactly BYTES bytes (random bytes, stored), or of
                                          its smallest size when BYTES is below it
  pypi_tool.py upload URL TOKEN FILE...   upload wheels the way twine does (legacy API, multipart/form-data,
                                          sha256/md5/blake2_256 digests), streamed from disk, one connection
  pypi_tool.py replay INDEX ROUNDS PROJECT...
                                          the requests pip makes to install PROJECTs (index page as text/html,
                                          each file's .metadata, each file), replayed ROUNDS times over one
                                          keep-alive connection; prints the median ms of a round. INDEX may
                                          carry user:password (sent as Basic auth)
  pypi_tool.py static DIR FILE...         lay out a PEP 503 static index of the wheels under DIR
                                          (simple/<project>/index.html, files/, PEP 658 .metadata files)
"""
import hashlib
import http.client
import os
import re
import shutil
import sys
import urllib.parse
import uuid
import zipfile


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def metadata_of(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = [n for n in z.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        raw = z.read(names[0])
    headers = {}
    for line in raw.decode("utf-8").split("\n"):
        if not line.strip():
            break
        if ":" in line and not line[0].isspace():
            key, value = line.split(":", 1)
            headers.setdefault(key.strip().lower(), []).append(value.strip())
    return raw, headers


def write_wheel(path, name, version, payload=None, payload_mb=0):
    dist = re.sub(r"[-_.]+", "_", name)
    info = f"{dist}-{version}.dist-info"
    meta = (f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: Wharf PyPI benchmark\n"
            f"Requires-Python: >=3.8\n\nBenchmark package.\n")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr(zipfile.ZipInfo(f"{dist}/__init__.py", (2020, 1, 1, 0, 0, 0)), f"VERSION = '{version}'\n")
        if payload is not None:
            z.writestr(zipfile.ZipInfo(f"{dist}/blob.bin", (2020, 1, 1, 0, 0, 0)), payload)
        if payload_mb:
            with z.open(zipfile.ZipInfo(f"{dist}/blob.bin", (2020, 1, 1, 0, 0, 0)), "w", force_zip64=True) as out:
                for _ in range(payload_mb):
                    out.write(os.urandom(1024 * 1024))
        z.writestr(zipfile.ZipInfo(f"{info}/METADATA", (2020, 1, 1, 0, 0, 0)), meta)
        z.writestr(zipfile.ZipInfo(f"{info}/WHEEL", (2020, 1, 1, 0, 0, 0)),
                   "Wheel-Version: 1.0\nGenerator: wharf-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        z.writestr(zipfile.ZipInfo(f"{info}/RECORD", (2020, 1, 1, 0, 0, 0)), "")


def digests(path):
    sha256, md5, blake2 = hashlib.sha256(), hashlib.md5(), hashlib.blake2b(digest_size=32)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            sha256.update(chunk)
            md5.update(chunk)
            blake2.update(chunk)
    return sha256.hexdigest(), md5.hexdigest(), blake2.hexdigest()


def upload(url, token, files):
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=600)
    auth = "Basic " + __import__("base64").b64encode(f"aws:{token}".encode()).decode()
    for path in files:
        _, headers = metadata_of(path)
        sha256, md5, blake2 = digests(path)
        fields = [(":action", "file_upload"), ("protocol_version", "1"), ("name", headers["name"][0]),
                  ("version", headers["version"][0]), ("filetype", "bdist_wheel"), ("pyversion", "py3"),
                  ("metadata_version", headers["metadata-version"][0]), ("sha256_digest", sha256),
                  ("md5_digest", md5), ("blake2_256_digest", blake2)]
        boundary = uuid.uuid4().hex
        head = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                        for k, v in fields)
        head += (f'--{boundary}\r\nContent-Disposition: form-data; name="content"; '
                 f'filename="{os.path.basename(path)}"\r\nContent-Type: application/octet-stream\r\n\r\n').encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        size = len(head) + os.path.getsize(path) + len(tail)

        def body():
            yield head
            with open(path, "rb") as f:
                while chunk := f.read(1 << 20):
                    yield chunk
            yield tail

        conn.request("POST", parsed.path, body=body(), headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Content-Length": str(size),
            "Authorization": auth})
        response = conn.getresponse()
        text = response.read().decode(errors="replace").strip()
        if response.status != 200:
            sys.exit(f"upload of {path} failed: {response.status} {text}")
    conn.close()


def static(root, files):
    os.makedirs(os.path.join(root, "files"), exist_ok=True)
    projects = {}
    for path in files:
        raw, headers = metadata_of(path)
        name = os.path.basename(path)
        shutil.copyfile(path, os.path.join(root, "files", name))
        with open(os.path.join(root, "files", name + ".metadata"), "wb") as f:
            f.write(raw)
        projects.setdefault(normalize(headers["name"][0]), []).append(
            (name, digests(path)[0], hashlib.sha256(raw).hexdigest(), headers.get("requires-python", [None])[0]))
    for project, entries in projects.items():
        os.makedirs(os.path.join(root, "simple", project), exist_ok=True)
        with open(os.path.join(root, "simple", project, "index.html"), "w") as f:
            f.write(f"<!DOCTYPE html>\n<html><head><title>Links for {project}</title></head><body>\n")
            for name, sha, meta_sha, requires in entries:
                rp = f' data-requires-python="{requires.replace("<", "&lt;").replace(">", "&gt;")}"' if requires else ""
                f.write(f'<a href="../../files/{name}#sha256={sha}"{rp} data-core-metadata="sha256={meta_sha}"'
                        f' data-dist-info-metadata="sha256={meta_sha}">{name}</a><br>\n')
            f.write("</body></html>\n")
    with open(os.path.join(root, "simple", "index.html"), "w") as f:
        f.write("<!DOCTYPE html>\n<html><body>\n")
        for project in sorted(projects):
            f.write(f'<a href="{project}/">{project}</a><br>\n')
        f.write("</body></html>\n")


def replay(index, rounds, projects):
    import base64
    import time
    parsed = urllib.parse.urlsplit(index)
    headers = {"Accept": "text/html"}
    if parsed.username:
        token = base64.b64encode(f"{parsed.username}:{urllib.parse.unquote(parsed.password)}".encode()).decode()
        headers["Authorization"] = "Basic " + token
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)

    def get(path):
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            sys.exit(f"GET {path}: {response.status}")
        return body

    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for project in projects:
            page_path = parsed.path + project + "/"
            page = get(page_path).decode()
            for href in re.findall(r'href="([^"#]+)', page):
                target = urllib.parse.urlsplit(urllib.parse.urljoin(page_path, href)).path
                get(target + ".metadata")
                get(target)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"{times[len(times) // 2]:.1f}")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "many":
        directory, name, count = args[0], args[1], int(args[2])
        os.makedirs(directory, exist_ok=True)
        for i in range(count):
            version = f"1.{i // 100}.{i % 100}"
            path = os.path.join(directory, f"{re.sub(r'[-_.]+', '_', name)}-{version}-py3-none-any.whl")
            if not os.path.exists(path):
                write_wheel(path, name, version)
            print(path)
    elif command == "big":
        path, name, mb = args[0], args[1], int(args[2])
        write_wheel(path + ".tmp", name, f"1.0.{mb}", payload_mb=mb)
        os.replace(path + ".tmp", path)
    elif command == "sized":
        path, name, version, size = args[0], args[1], args[2], int(args[3])
        payload = os.urandom(size)
        write_wheel(path, name, version, payload=b"")
        # stored entries: the archive grows byte for byte with the payload
        write_wheel(path, name, version, payload=payload[:max(0, size - os.path.getsize(path))])
    elif command == "upload":
        upload(args[0], args[1], args[2:])
    elif command == "replay":
        replay(args[0], int(args[1]), args[2:])
    elif command == "static":
        static(args[0], args[1:])
    else:
        sys.exit(__doc__)
