"""Fixtures that start the real famigo binary on a free loopback port.

`famigo_server(**settings)` starts `famigo serve` with `--set key=value` for each
setting (write `server__workers=2` for `server.workers`, or pass a dict as the
first argument) and returns a Server; every server is stopped after the test.
"""
import atexit
import os
import pathlib
import shutil
import tempfile
import re
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Commands and servers that name no search index or task queue of their own
# use throwaway ones, never the repo's var/search and var/tasks.db (which
# `make run` uses): `famigo import` writes to both.
_SCRATCH = tempfile.mkdtemp(prefix="famigo-tests-")
atexit.register(shutil.rmtree, _SCRATCH, True)
os.environ.setdefault("FAMIGO_SEARCH__URL", f"xapian://{_SCRATCH}/search")
os.environ.setdefault("FAMIGO_TASKS__URL", f"sqlite:///{_SCRATCH}/tasks.db")
# Absolute, so tests that start it from another working directory find it
# (scripts/test passes a relative FAMIGO_BIN for the sanitizer build).
FAMIGO = pathlib.Path(os.environ.get("FAMIGO_BIN", ROOT / "build" / "release" / "src" / "famigo")).absolute()


class Server:
    def __init__(self, proc, host, port, log_path, access_log):
        self.proc = proc
        self.host = host
        self.port = port
        self.log_path = log_path
        self.access_log = access_log

    def url(self, path="/"):
        return f"http://{self.host}:{self.port}{path}"

    def get(self, path, headers=None, timeout=10):
        """GET over urllib; returns (status, headers, body) without raising on 4xx/5xx."""
        request = urllib.request.Request(self.url(path), headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def connect(self, timeout=10):
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def raw(self, data, timeout=5):
        """Sends raw bytes, returns everything read until the server closes or `timeout`."""
        with self.connect(timeout) as sock:
            sock.sendall(data)
            return read_all(sock, timeout)

    def log(self):
        return pathlib.Path(self.log_path).read_text(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def read_all(sock, timeout=5):
    sock.settimeout(timeout)
    chunks = []
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    except (socket.timeout, ConnectionResetError):
        pass
    return b"".join(chunks)


def read_response(sock, timeout=5):
    """Reads exactly one HTTP response (Content-Length framed) from a socket."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a full head: {data!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed inside a body")
        rest += chunk
    return status, headers, rest[:length], rest[length:]


def start_server(tmp_path, settings, extra_args=(), env=None):
    if not FAMIGO.exists():
        pytest.fail(f"{FAMIGO} is not built; run `make build` first")
    log_path = tmp_path / f"famigo-{len(list(tmp_path.glob('famigo-*.log')))}.log"
    access_log = tmp_path / f"access-{log_path.stem}.jsonl"
    # A store of the test's own unless the test names one: never the repo's
    # var/famigo.db, which `make run` uses.
    store = tmp_path / f"store-{log_path.stem}.db"
    # Likewise the task queue (not the repo's var/tasks.db) and the search
    # index: a server never shares the session's scratch index, which commands
    # run on other stores fill (a server finding it filled would not build its
    # own store's index, and search the wrong apps).
    task_db = tmp_path / f"tasks-{log_path.stem}.db"
    search = f"xapian://{tmp_path}/search-{log_path.stem}"
    args = [str(FAMIGO), "serve", "--listen", "127.0.0.1:0", "--set", f"http.access_log={access_log}",
            "--set", f"store.url=sqlite:///{store}", "--set", f"tasks.url=sqlite:///{task_db}",
            "--set", f"search.url={search}"]
    for key, value in settings.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            value = ",".join(value)
        args += ["--set", f"{key}={value}"]
    args += list(extra_args)
    log_file = open(log_path, "wb")
    proc = subprocess.Popen(args, stdout=log_file, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    # Generous: a server whose search index is empty builds it before it listens.
    deadline = time.time() + 60
    port = None
    while time.time() < deadline and port is None:
        if proc.poll() is not None:
            raise RuntimeError(f"famigo exited with {proc.returncode}: {log_path.read_text()}")
        match = re.search(r"listening on (?:http|fastcgi)://[^\s:]+:(\d+)", log_path.read_text(errors="replace"))
        if match:
            port = int(match.group(1))
        else:
            time.sleep(0.02)
    if port is None:
        proc.kill()
        raise RuntimeError(f"famigo did not start: {log_path.read_text()}")
    return Server(proc, "127.0.0.1", port, log_path, access_log)


def famigo(*args, check=True):
    """Runs a famigo subcommand from the repo root; asserts exit 0 unless check=False."""
    result = subprocess.run([str(FAMIGO), *args], capture_output=True, text=True, timeout=300,
                            cwd=ROOT)
    if check:
        assert result.returncode == 0, result.stderr
    return result


# Reviewers' fields for three apps: head-soccer, minecraft-pocket-edition, candy-crush-saga.
EDITORIAL = [
    {"source_id": "ios:487119327", "approved": True,
     "descriptors": {"ads": "no", "in_app_purchases": "yes"},
     "review": {"cool": "Quick <b>two-button</b> matches.", "drool": "Ads & upsells."}},
    {"source_id": "ios:479516143", "approved": True, "descriptors": {"ads": "no", "in_app_purchases": "no"}},
    {"source_id": "ios:553834731", "descriptors": {"ads": "yes", "in_app_purchases": "yes"}},
]


def catalog_search_url(db):
    """The search index built with the catalog_db store (read-only too)."""
    return f"xapian://{pathlib.Path(db).parent / 'search'}"


@pytest.fixture(scope="session")
def catalog_db(tmp_path_factory):
    """A store with the whole demo catalog and EDITORIAL applied, imported once per run.
    Tests must not write to it (start a server on a copy for that)."""
    if not FAMIGO.exists():
        pytest.fail(f"{FAMIGO} is not built")
    db = tmp_path_factory.mktemp("catalog") / "catalog.db"
    # Its search index beside it (catalog_search_url), built by this first import.
    search = catalog_search_url(db)
    famigo("import", "--quiet", "--set", f"store.url=sqlite:///{db}", "--set", f"search.url={search}",
           str(ROOT / "data"))
    editorial = db.parent / "editorial.json"
    editorial.write_text(__import__("json").dumps(EDITORIAL))
    # No worker runs here: editorial's changes reach the index by an inline reindex.
    result = famigo("editorial", "--set", f"store.url=sqlite:///{db}", "--set", f"search.url={search}",
                    str(editorial))
    famigo("reindex", "--quiet", "--set", f"store.url=sqlite:///{db}", "--set", f"search.url={search}")
    assert "3 entries, 3 updated, 0 unchanged, 0 not in the catalog" in result.stdout
    return db


@pytest.fixture
def famigo_server(tmp_path):
    servers = []

    def start(settings=None, **kwargs):
        merged = dict(settings or {})
        merged.update({key.replace("__", "."): value for key, value in kwargs.items()})
        server = start_server(tmp_path, merged)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop(signal.SIGKILL if server.proc.poll() is None else signal.SIGTERM)


@pytest.fixture
def server(famigo_server):
    """A server with test routes and a short drain, for most HTTP tests."""
    return famigo_server(debug__test_routes=True, server__drain_grace="0")
