"""famigo as a FastCGI responder behind a real lighttpd (tests/env/lighttpd,
configured by the shipped deploy/lighttpd.conf): the same answers as over
HTTP, the same limits, forwarded headers and drain."""
import json
import os
import pathlib
import signal
import socket
import struct
import subprocess
import threading
import time
import urllib.request

import pytest

from conftest import ROOT, catalog_search_url, start_server

LIGHTTPD = ROOT / "tests" / "env" / "lighttpd"


class Lighttpd:
    def __init__(self, state, fastcgi_port, docroot=None):
        self.state = state
        args = [str(LIGHTTPD), "start", str(state), str(fastcgi_port)] + ([str(docroot)] if docroot else [])
        result = subprocess.run(args, capture_output=True, text=True, timeout=30)
        if result.returncode == 3 and os.environ.get("FAMIGO_REQUIRE_SERVICES") != "1":
            pytest.skip("lighttpd is not installed")
        assert result.returncode == 0, result.stderr
        self.port = int(result.stdout.split()[0])

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def request(self, path, method="GET", headers=None, data=None, timeout=10):
        request = urllib.request.Request(self.url(path), method=method, data=data, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def stop(self):
        subprocess.run([str(LIGHTTPD), "stop", str(self.state)], timeout=30)


def direct(server, path, method="GET", headers=None, data=None):
    request = urllib.request.Request(server.url(path), method=method, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def pair(catalog_db, tmp_path_factory):
    """One catalog served twice: over HTTP, and over FastCGI behind lighttpd."""
    settings = {"store.url": f"sqlite:///{catalog_db}", "search.url": catalog_search_url(catalog_db),
                "page_cache.enabled": "false", "http.allowed_hosts": "127.0.0.1,localhost",
                "http.trusted_proxies": "127.0.0.1", "server.max_body_bytes": "1KiB",
                "server.max_header_bytes": "4KiB", "debug.test_routes": "true"}
    http_server = start_server(tmp_path_factory.mktemp("http"), settings)
    fastcgi = start_server(tmp_path_factory.mktemp("fastcgi"), {**settings, "server.protocol": "fastcgi"})
    lighttpd = Lighttpd(tmp_path_factory.mktemp("lighttpd"), fastcgi.port)
    yield http_server, fastcgi, lighttpd
    lighttpd.stop()
    fastcgi.stop()
    http_server.stop()


SAME_HEADERS = ("content-type", "cache-control", "etag", "vary", "location", "content-length",
                "x-frame-options", "content-security-policy", "allow")


@pytest.mark.parametrize("method,path", [
    ("GET", "/"), ("GET", "/app/minecraft-pocket-edition/"), ("GET", "/api/v1/apps?per_page=3&sort=title"),
    ("GET", "/api/v1/apps?per_page=abc"), ("GET", "/no-such-page/"), ("GET", "/search/?q=minecraft"),
    ("GET", "/healthz"), ("GET", "/?%zz"), ("HEAD", "/app/minecraft-pocket-edition/"),
    ("POST", "/accounts/login/"), ("GET", "/api/v1/openapi.json"),
])
def test_same_answers_as_http(pair, method, path):
    http_server, _, lighttpd = pair
    data = b"username=a&password=b" if method == "POST" else None
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if data else {}
    want = direct(http_server, path, method, headers, data)
    got = lighttpd.request(path, method, headers, data)
    assert got[0] == want[0]
    for name in SAME_HEADERS:
        assert got[1].get(name) == want[1].get(name), name
    assert got[2] == want[2]
    assert want[0] != 500


def test_limits_are_the_http_servers(pair):
    _, _, lighttpd = pair
    status, _, body = lighttpd.request("/accounts/login/", "POST", data=b"x" * 2048,
                                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413
    status, _, _ = lighttpd.request("/", headers={"X-Big": "y" * 5000})
    assert status == 431
    status, _, _ = lighttpd.request("/", headers={"Host": "evil.example"})
    assert status == 400


def test_forwarded_for_believed_from_the_web_server(pair):
    _, fastcgi, lighttpd = pair
    lighttpd.request("/healthz", headers={"X-Forwarded-For": "203.0.113.9", "X-Request-Id": "lb-77"})
    deadline = time.time() + 5
    while time.time() < deadline:
        lines = fastcgi.access_log.read_text().splitlines() if fastcgi.access_log.exists() else []
        entries = [json.loads(line) for line in lines]
        hit = [e for e in entries if e.get("id") == "lb-77"]
        if hit:
            assert hit[-1]["client"] == "203.0.113.9" and hit[-1]["status"] == 200
            return
        time.sleep(0.05)
    pytest.fail("the request never reached the access log")


def record(kind, request_id, content=b""):
    return struct.pack(">BBHHBB", 1, kind, request_id, len(content), 0, 0) + content


def read_records(sock, until_type, timeout=5):
    sock.settimeout(timeout)
    data, records = b"", []
    while True:
        while len(data) >= 8:
            _, kind, rid, length, padding, _ = struct.unpack(">BBHHBB", data[:8])
            if len(data) < 8 + length + padding:
                break
            records.append((kind, rid, data[8:8 + length]))
            data = data[8 + length + padding:]
            if kind == until_type:
                return records
        chunk = sock.recv(65536)
        if not chunk:
            return records
        data += chunk


def pair_bytes(name, value):
    return bytes([len(name), len(value)]) + name + value


def test_protocol_management_and_refusals(pair):
    _, fastcgi, _ = pair
    with socket.create_connection(("127.0.0.1", fastcgi.port), timeout=5) as sock:
        # GET_VALUES: we do not multiplex.
        sock.sendall(record(9, 0, pair_bytes(b"FCGI_MPXS_CONNS", b"") + pair_bytes(b"FCGI_X", b"")))
        records = read_records(sock, 10)
        assert records[-1][0] == 10 and records[-1][2] == pair_bytes(b"FCGI_MPXS_CONNS", b"0")
        # The authorizer role is refused; a responder request on the kept connection answers.
        sock.sendall(record(1, 5, struct.pack(">HB5x", 2, 1)))
        assert read_records(sock, 3)[-1] == (3, 5, bytes([0, 0, 0, 0, 3, 0, 0, 0]))
        params = (pair_bytes(b"REQUEST_METHOD", b"GET") + pair_bytes(b"REQUEST_URI", b"/healthz")
                  + pair_bytes(b"SERVER_PROTOCOL", b"HTTP/1.1") + pair_bytes(b"HTTP_HOST", b"localhost"))
        sock.sendall(record(1, 6, struct.pack(">HB5x", 1, 1)) + record(4, 6, params) + record(4, 6)
                     + record(5, 6))
        records = read_records(sock, 3)
        stdout = b"".join(r[2] for r in records if r[0] == 6)
        assert stdout.startswith(b"Status: 200 OK\r\n") and stdout.endswith(b"\r\n\r\nok\n")
        assert records[-1] == (3, 6, bytes(8))
    # A record of another protocol version ends the connection without an answer.
    with socket.create_connection(("127.0.0.1", fastcgi.port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert read_records(sock, 3) == []


def test_drain_finishes_in_flight_and_readiness_turns_503(catalog_db, tmp_path):
    fastcgi = start_server(tmp_path, {"store.url": f"sqlite:///{catalog_db}",
                                      "search.url": catalog_search_url(catalog_db),
                                      "server.protocol": "fastcgi", "debug.test_routes": "true",
                                      "server.drain_grace": "1s", "http.allowed_hosts": "127.0.0.1"})
    lighttpd = Lighttpd(tmp_path / "lighttpd", fastcgi.port)
    try:
        slow = {}
        thread = threading.Thread(target=lambda: slow.update(r=lighttpd.request("/_debug/sleep?ms=1500")))
        thread.start()
        time.sleep(0.3)
        fastcgi.proc.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        assert lighttpd.request("/readyz")[0] == 503
        thread.join(timeout=10)
        assert slow["r"][0] == 200 and slow["r"][2] == b"slept 1500 ms\n"
        assert fastcgi.proc.wait(timeout=10) == 0
    finally:
        lighttpd.stop()
        fastcgi.stop()
