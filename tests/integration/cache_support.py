"""Helpers for the cache integration tests: real memcached servers (through
tests/env/memcached), metrics reading and a concurrent load of raw requests."""
import os
import pathlib
import re
import socket
import subprocess
import threading

import pytest

from conftest import read_response

ROOT = pathlib.Path(__file__).resolve().parents[2]
MEMCACHED_ENV = ROOT / "tests" / "env" / "memcached"


class Memcached:
    """Servers started by tests/env/memcached in `state_dir`; stop() kills them."""

    def __init__(self, state_dir, count):
        self.dir = str(state_dir)
        result = subprocess.run([str(MEMCACHED_ENV), "start", self.dir, str(count)],
                                capture_output=True, text=True)
        if result.returncode == 3:
            message = "memcached is not installed (Debian package memcached)"
            if os.environ.get("FAMIGO_REQUIRE_SERVICES") == "1":
                pytest.fail(message)
            pytest.skip(message + "; FAMIGO_REQUIRE_SERVICES=1 makes this fail")
        assert result.returncode == 0, result.stderr
        self.ports = [int(line) for line in result.stdout.split()]

    def url(self):
        return "memcached://" + ",".join(f"127.0.0.1:{port}" for port in self.ports)

    def kill(self, index):
        subprocess.run([str(MEMCACHED_ENV), "kill", self.dir, str(index)], check=True)

    def restart(self, index):
        subprocess.run([str(MEMCACHED_ENV), "restart", self.dir, str(index)], check=True)

    def stop(self):
        subprocess.run([str(MEMCACHED_ENV), "stop", self.dir], check=False)


@pytest.fixture
def memcached(tmp_path):
    started = []

    def start(count=1):
        servers = Memcached(tmp_path / f"memcached-{len(started)}", count)
        started.append(servers)
        return servers

    yield start
    for servers in started:
        servers.stop()


def metric(server, name, labels=""):
    """The value of one sample of /metrics (0 when absent)."""
    text = server.get("/metrics")[2].decode()
    pattern = "^" + re.escape(name + (("{" + labels + "}") if labels else "")) + r" (\S+)$"
    match = re.search(pattern, text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def fills(server):
    return int(server.get("/_debug/cache/fills")[2])


def raw_get(server, path, headers=""):
    """One GET on its own connection: (status, headers, body)."""
    with server.connect(timeout=30) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n{headers}\r\n".encode())
        status, head, body, _ = read_response(sock, timeout=30)
        return status, head, body


def raw_post(server, path):
    """One empty POST (the /_debug/cache/ controls): (status, body)."""
    with server.connect(timeout=30) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: localhost\r\n"
                     "Content-Length: 0\r\n\r\n".encode())
        status, _, body, _ = read_response(sock, timeout=30)
        return status, body


def concurrent_gets(server, path, count):
    """`count` GETs sent at the same instant, each on its own connection."""
    results = [None] * count
    barrier = threading.Barrier(count)

    def one(i):
        with server.connect(timeout=30) as sock:
            barrier.wait()
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
            status, _, body, _ = read_response(sock, timeout=30)
            results[i] = (status, body)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class Load(threading.Thread):
    """Keep-alive clients cycling over a few cached pages until stopped; counts statuses."""

    def __init__(self, server, keys=10):
        super().__init__(daemon=True)
        self.server, self.keys = server, keys
        self.statuses = {}
        self.stopping = threading.Event()
        self.errors = []

    def run(self):
        i = 0
        sock = None
        while not self.stopping.is_set():
            try:
                if sock is None:
                    sock = self.server.connect(timeout=30)
                path = f"/_debug/cache/page?key=load{i % self.keys}"
                sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
                status, _, _, _ = read_response(sock, timeout=30)
                self.statuses[status] = self.statuses.get(status, 0) + 1
                i += 1
            except (OSError, ConnectionError) as error:
                self.errors.append(repr(error))
                sock = None
        if sock:
            sock.close()
