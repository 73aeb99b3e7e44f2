"""A keyring backend that answers pip and poetry with a fresh Wharf authorization token.

``wharf login --tool pip|poetry --keyring`` lists each repository endpoint, with the command that prints a
GetAuthorizationToken answer for its domain, in ``~/.config/wharf/keyring.json`` (``$XDG_CONFIG_HOME``, or the file
``$WHARF_KEYRING_CONFIG`` names). For a URL under one of those endpoints (or its bare host, as pip and poetry
ask last), this backend returns user ``aws`` and a token: the one it cached, while it has more than five minutes
left and the endpoint still accepts it, else a new one from the command. The cache is one file per command under
``~/.cache/wharf/keyring`` (``$XDG_CACHE_HOME``), mode 0600. No token is ever stored elsewhere, put on a command
line or logged; ``keyring del URL aws`` drops the cached one.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import re
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request

from keyring import backend, credentials, errors

CONFIG_VARIABLE = "WHARF_KEYRING_CONFIG"
USERNAME = "aws"
RENEW_BEFORE = datetime.timedelta(minutes=5)
COMMAND_TIMEOUT_SECONDS = 120
PROBE_TIMEOUT_SECONDS = 30
_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?$")


def config_path() -> str:
    given = os.environ.get(CONFIG_VARIABLE)
    if given:
        return given
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "wharf", "keyring.json")


def cache_directory() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "wharf", "keyring")


def _endpoints() -> list:
    """The configured endpoints: dicts with a url (ending in /) and a command (a list of words)."""
    try:
        with open(config_path(), encoding="utf-8") as file:
            config = json.load(file)
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as e:
        raise errors.KeyringError(f"wharf-keyring: cannot read {config_path()}: {e}") from None
    endpoints = config.get("endpoints") if isinstance(config, dict) else None
    valid = []
    for entry in endpoints if isinstance(endpoints, list) else []:
        if (isinstance(entry, dict) and isinstance(entry.get("url"), str) and isinstance(entry.get("command"), list)
                and entry["command"] and all(isinstance(word, str) for word in entry["command"])):
            valid.append(entry)
    return valid


def _origin(url: urllib.parse.SplitResult) -> tuple:
    port = url.port or {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme.lower(), (url.hostname or "").lower(), port


def endpoint_for(service: str):
    """The configured endpoint a keyring service name (a URL, or a bare host[:port]) belongs to, or None."""
    endpoints = _endpoints()
    if "://" not in service:
        # pip and poetry ask for the bare netloc last: answer only when every endpoint there shares one command
        netloc = service.lower()
        same_host = [entry for entry in endpoints if urllib.parse.urlsplit(entry["url"]).netloc.lower() == netloc]
        commands = {json.dumps(entry["command"]) for entry in same_host}
        return same_host[0] if len(commands) == 1 else None
    try:
        wanted = urllib.parse.urlsplit(service)
        origin = _origin(wanted)
    except ValueError:
        return None
    path = wanted.path.rstrip("/") + "/"
    best = None
    for entry in endpoints:
        try:
            endpoint = urllib.parse.urlsplit(entry["url"])
            if _origin(endpoint) != origin:
                continue
        except ValueError:
            continue
        prefix = endpoint.path.rstrip("/") + "/"
        if path.startswith(prefix) and (best is None or len(prefix) > len(urllib.parse.urlsplit(best["url"]).path)):
            best = entry
    return best


def _parse_time(text):
    match = _TIME.match(text) if isinstance(text, str) else None
    if not match:
        return None
    zone = match.group(2) or "Z"
    zone = "+00:00" if zone == "Z" else zone[:3] + ":" + zone[-2:]
    return datetime.datetime.fromisoformat(match.group(1) + zone)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _cache_file(command: list) -> str:
    return os.path.join(cache_directory(), hashlib.sha256(json.dumps(command).encode()).hexdigest() + ".json")


def _read_cache(command: list):
    try:
        with open(_cache_file(command), encoding="utf-8") as file:
            cached = json.load(file)
        return cached["authorizationToken"], _parse_time(cached["expiration"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(command: list, token: str, expiration: str) -> None:
    directory = cache_directory()
    os.makedirs(directory, mode=0o700, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".token-")  # mode 0600
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump({"authorizationToken": token, "expiration": expiration}, file)
        os.replace(temporary, _cache_file(command))
    except BaseException:
        os.unlink(temporary)
        raise


def _accepted(url: str, token: str) -> bool:
    """Whether the endpoint still takes the token: its root answers 401 to a revoked or expired one."""
    basic = base64.b64encode(f"{USERNAME}:{token}".encode()).decode()
    request = urllib.request.Request(url, headers={"Authorization": "Basic " + basic})
    try:
        with urllib.request.urlopen(request, timeout=PROBE_TIMEOUT_SECONDS):
            return True
    except urllib.error.HTTPError as e:
        return e.code != 401
    except (OSError, ValueError):
        return True  # the server cannot be asked now: the tool will say why when it tries


def _fetch(command: list):
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              timeout=COMMAND_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError) as e:
        raise errors.KeyringError(f"wharf-keyring: cannot run {command[0]}: {e}") from None
    if done.returncode != 0:
        raise errors.KeyringError(f"wharf-keyring: {command[0]} {' '.join(command[1:2])} failed"
                                  f" (exit code {done.returncode}); see its message above")
    try:
        answer = json.loads(done.stdout)
        token, expiration = answer["authorizationToken"], answer.get("expiration")
        if not isinstance(token, str) or not token:
            raise ValueError("no authorizationToken")
    except (ValueError, KeyError, TypeError):
        raise errors.KeyringError(f"wharf-keyring: {command[0]} did not print a GetAuthorizationToken answer"
                                  " (JSON with authorizationToken and expiration)") from None
    if _parse_time(expiration) is not None:
        _write_cache(command, token, expiration)
    return token


def token_for(entry: dict) -> str:
    """A token for the endpoint: the cached one while it is fresh and accepted, else a new one."""
    command = entry["command"]
    cached = _read_cache(command)
    if cached and cached[1] is not None and cached[1] - RENEW_BEFORE > _now() and _accepted(entry["url"], cached[0]):
        return cached[0]
    return _fetch(command)


class _ClassProperty:
    """A read-only property of the class itself: keyring reads priority from the class to know if it is viable."""

    def __init__(self, getter):
        self.getter = getter

    def __get__(self, instance, owner):
        return self.getter(owner)


def _priority(cls) -> float:
    if not os.path.isfile(config_path()):
        raise RuntimeError("no " + config_path() + ": run wharf login --keyring")
    # the highest a plugin takes below the chainer: asked before the system keyring, which has no Wharf token
    return 9.9


class WharfKeyring(backend.KeyringBackend):
    """Tokens for the Wharf endpoints of keyring.json; nothing for any other service (other backends answer)."""

    priority = _ClassProperty(_priority)

    def get_password(self, service, username):
        if username not in (None, USERNAME):
            return None
        entry = endpoint_for(service)
        return token_for(entry) if entry else None

    def get_credential(self, service, username):
        password = self.get_password(service, username)
        return credentials.SimpleCredential(USERNAME, password) if password is not None else None

    def set_password(self, service, username, password):
        raise errors.PasswordSetError("wharf-keyring stores no password: it gets a new Wharf token when one is needed")

    def delete_password(self, service, username):
        entry = endpoint_for(service) if username in (None, USERNAME) else None
        if entry is None:
            raise errors.PasswordDeleteError("wharf-keyring has no token for " + service)
        try:
            os.unlink(_cache_file(entry["command"]))
        except FileNotFoundError:
            pass
