#!/usr/bin/env python3
"""Helpers of bench/cargo/cargo-bench.sh.

  crates.py publish ENDPOINT TOKEN DIR...   packs each unpacked crate (Debian's /usr/share/cargo/registry/NAME-VERSION,
                                            without Debian's own files) and publishes it with cargo's publish protocol
  crates.py resolvable DIR...               the names of the crates whose required dependencies are all there
  crates.py stage ENDPOINT TOKEN STATIC     copies the registry's index files and crates into STATIC as a static
                                            sparse registry (config.json without auth, dl = {crate}/{version}/download)
"""
import gzip, hashlib, io, json, os, struct, sys, tarfile, tomllib, urllib.request


def pack(directory, folder):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for root, dirs, files in os.walk(directory):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                rel = os.path.relpath(path, directory)
                if rel.startswith(("debian/", ".pc/")) or rel == ".cargo-checksum.json":
                    continue
                tar.add(path, arcname=folder + "/" + rel, recursive=False)
    return out.getvalue()


def deps_of(table, target, into):
    for section, kind in (("dependencies", "normal"), ("build-dependencies", "build"), ("dev-dependencies", "dev")):
        for key, spec in table.get(section, {}).items():
            spec = {"version": spec} if isinstance(spec, str) else spec
            dep = {"name": spec.get("package", key), "version_req": spec.get("version", "*"),
                   "features": spec.get("features", []), "optional": spec.get("optional", False),
                   "default_features": spec.get("default-features", spec.get("default_features", True)),
                   "target": target, "kind": kind}
            if "package" in spec:
                dep["explicit_name_in_toml"] = key
            into.append(dep)


def metadata(directory):
    with open(os.path.join(directory, "Cargo.toml"), "rb") as f:
        manifest = tomllib.load(f)
    pkg = manifest["package"]
    deps = []
    deps_of(manifest, None, deps)
    for target, table in manifest.get("target", {}).items():
        deps_of(table, target, deps)
    meta = {"name": pkg["name"], "vers": pkg["version"], "deps": deps, "features": manifest.get("features", {}),
            "authors": pkg.get("authors", []), "keywords": pkg.get("keywords", []),
            "categories": pkg.get("categories", []), "badges": {}}
    for field in ("description", "documentation", "homepage", "license", "license_file", "repository", "links"):
        if isinstance(pkg.get(field), str):
            meta[field] = pkg[field]
    return meta


def request(url, token, data=None, method="GET"):
    req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": token})
    with urllib.request.urlopen(req) as response:
        return response.read()


def publish(endpoint, token, directories):
    for directory in directories:
        meta = metadata(directory)
        crate = pack(directory, meta["name"] + "-" + meta["vers"])
        body = json.dumps(meta).encode()
        request(endpoint + "api/v1/crates/new", token,
                struct.pack("<I", len(body)) + body + struct.pack("<I", len(crate)) + crate, "PUT")
    print("published %d crates" % len(directories), file=sys.stderr)


def index_path(name):
    n = name.lower()
    return {1: "1/" + n, 2: "2/" + n, 3: "3/" + n[0] + "/" + n}.get(len(n), n[:2] + "/" + n[2:4] + "/" + n)


def stage(endpoint, token, static, names):
    with open(os.path.join(static, "config.json"), "w") as f:
        json.dump({"dl": "PLACEHOLDER"}, f)
    count = 0
    for name in names:
        index = request(endpoint + index_path(name), token)
        path = os.path.join(static, index_path(name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(index)
        for line in index.decode().splitlines():
            entry = json.loads(line)
            crate = request("%sapi/v1/crates/%s/%s/download" % (endpoint, entry["name"], entry["vers"]), token)
            assert hashlib.sha256(crate).hexdigest() == entry["cksum"], entry["name"]
            target = os.path.join(static, "crates", entry["name"], entry["vers"], "download")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(crate)
            count += 1
    print("staged %d crates" % count, file=sys.stderr)


def resolvable(directories):
    """The crates whose every non-optional normal and build dependency (on any target) is among them, transitively."""
    crates = {}
    for directory in directories:
        meta = metadata(directory)
        crates[meta["name"]] = [d["name"] for d in meta["deps"] if d["kind"] != "dev" and not d["optional"]]
    while True:
        missing = [n for n, deps in crates.items() if any(d not in crates for d in deps)]
        if not missing:
            return sorted(crates)
        for n in missing:
            del crates[n]


if __name__ == "__main__":
    if sys.argv[1] == "publish":
        publish(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif sys.argv[1] == "stage":
        stage(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif sys.argv[1] == "resolvable":
        print("\n".join(resolvable(sys.argv[2:])))
    else:
        sys.exit(__doc__)
