#!/usr/bin/env python3
"""Helpers of bench/maven/maven-bench.sh, on the machine's local Maven repository (~/.m2/repository).

  tree.py files                          release .jar/.pom files (relative paths), one a line
  tree.py stage DIR                      the same files as hard links (or copies) under DIR, each with its
                                         .sha1 (computed), for nginx
  tree.py upload ENDPOINT TOKEN [N]      PUT them into a Wharf Maven repository, N at a time (default 8),
                                         then each artifact's maven-metadata.xml, as a deploy ends
  tree.py pom PROJECT_POM OUT_DIR        a project with PROJECT_POM's properties, dependencyManagement
                                         and dependencies, the pinned plugins of the Maven tests, one class
  tree.py free-port                      a free TCP port on 127.0.0.1
"""
import base64
import hashlib
import os
import re
import shutil
import socket
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

LOCAL = os.path.expanduser("~/.m2/repository")
PLUGINS = """<pluginManagement><plugins>
  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.1</version></plugin>
  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.6.1</version></plugin>
  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
</plugins></pluginManagement>"""


def files():
    out = []
    for root, _, names in os.walk(LOCAL):
        for name in names:
            rel = os.path.relpath(os.path.join(root, name), LOCAL)
            parts = rel.split(os.sep)
            if len(parts) < 4 or not (name.endswith(".jar") or name.endswith(".pom")):
                continue
            if "SNAPSHOT" in rel or rel.startswith("dev/wharf/"):
                continue
            if not name.startswith(parts[-3] + "-" + parts[-2]):
                continue  # not in the layout
            out.append(rel)
    return sorted(out)


def stage(target):
    for rel in files():
        source = os.path.join(LOCAL, rel)
        dest = os.path.join(target, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        try:
            os.link(source, dest)
        except OSError:
            shutil.copyfile(source, dest)
        # Maven asks for the .sha1 of every file; a static server answers only with a file there.
        with open(source, "rb") as f:
            digest = hashlib.sha1(f.read()).hexdigest()
        with open(dest + ".sha1", "w") as f:
            f.write(digest)


def put(url, auth, body):
    request = urllib.request.Request(url, data=body, method="PUT", headers={"Authorization": auth})
    with urllib.request.urlopen(request) as response:
        return response.status


def upload(endpoint, token, parallelism):
    auth = "Basic " + base64.b64encode(("aws:" + token).encode()).decode()
    rels = files()

    def one(rel):
        with open(os.path.join(LOCAL, rel), "rb") as f:
            return put(endpoint + rel.replace(os.sep, "/"), auth, f.read())

    with ThreadPoolExecutor(parallelism) as pool:
        list(pool.map(one, rels))
    versions = {}
    for rel in rels:
        parts = rel.split(os.sep)
        versions.setdefault("/".join(parts[:-2]), set()).add(parts[-2])
    metadata = []
    for artifact, found in versions.items():
        listed = "".join("<version>%s</version>" % v for v in sorted(found))
        metadata.append((endpoint + artifact + "/maven-metadata.xml",
                         ("<metadata><versioning><versions>%s</versions></versioning></metadata>" % listed).encode()))
    with ThreadPoolExecutor(parallelism) as pool:
        list(pool.map(lambda m: put(m[0], auth, m[1]), metadata))
    print("uploaded %d files and %d maven-metadata.xml" % (len(rels), len(metadata)), file=sys.stderr)


def pom(project_pom, out):
    text = open(project_pom).read()

    def section(name):
        m = re.search(r"\n  <%s>.*?\n  </%s>" % (name, name), text, re.S)
        return m.group(0) if m else ""

    os.makedirs(os.path.join(out, "src/main/java/example"), exist_ok=True)
    with open(os.path.join(out, "pom.xml"), "w") as f:
        f.write("""<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example.bench</groupId><artifactId>real-tree</artifactId><version>1.0</version>
%s
%s
%s
  <build>%s</build>
</project>
""" % (section("properties"), section("dependencyManagement"), section("dependencies"), PLUGINS))
    with open(os.path.join(out, "src/main/java/example/Main.java"), "w") as f:
        f.write("package example;\npublic class Main { com.fasterxml.jackson.databind.ObjectMapper json; }\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "files":
        print("\n".join(files()))
    elif command == "stage":
        stage(sys.argv[2])
    elif command == "upload":
        upload(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 8)
    elif command == "pom":
        pom(sys.argv[2], sys.argv[3])
    elif command == "free-port":
        print(free_port())
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
