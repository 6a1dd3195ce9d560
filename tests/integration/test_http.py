"""The HTTP server over real sockets: keep-alive, pipelining, limits, timeouts,
malformed input, the worker pool, overload, error pages and middleware."""
import concurrent.futures
import json
import re
import socket
import threading
import time

import pytest

from conftest import read_all, read_response


def test_keep_alive_serves_several_requests_on_one_connection(server):
    with server.connect() as sock:
        for _ in range(3):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            status, headers, body, rest = read_response(sock)
            assert (status, body, rest) == (200, b"ok\n", b"")
            assert "connection" not in headers
            assert headers["server"] == "famigo"
            assert headers["date"].endswith(" GMT")


def test_pipelined_requests_are_answered_in_order(server):
    requests = (b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
                b"GET /missing HTTP/1.1\r\nHost: localhost\r\n\r\n"
                b"GET /_debug/sleep?ms=50 HTTP/1.1\r\nHost: localhost\r\n\r\n"
                b"POST /_debug/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello"
                b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    with server.connect() as sock:
        sock.sendall(requests)
        data = read_all(sock)
    statuses = [int(code) for code in re.findall(rb"HTTP/1\.1 (\d{3}) ", data)]
    assert statuses == [200, 404, 200, 200, 200]
    assert b"slept 50 ms" in data and b"hello" in data
    assert data.index(b"slept 50 ms") < data.index(b"hello")


def test_http10_closes_unless_keep_alive(server):
    data = server.raw(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")
    assert data.startswith(b"HTTP/1.0 200 OK\r\n") and b"Connection: close" in data
    # Without a Host there is nothing to check against http.allowed_hosts.
    assert server.raw(b"GET /healthz HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 400 ")
    with server.connect() as sock:
        sock.sendall(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n")
        status, headers, _, _ = read_response(sock)
        assert status == 200 and headers["connection"] == "keep-alive"


def test_head_has_length_but_no_body(server):
    with server.connect() as sock:
        sock.sendall(b"HEAD /healthz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        time.sleep(0.2)
        data = sock.recv(65536)
    first, _, second = data.partition(b"\r\n\r\n")
    assert b"Content-Length: 3" in first
    assert second.startswith(b"HTTP/1.1 200 OK")  # the HEAD sent no body before the next answer


@pytest.mark.parametrize("request_bytes,status", [
    (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n", 414),
    (b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"b" * 40000 + b"\r\n\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: localhost\r\n" + b"X-Many: 1\r\n" * 120 + b"\r\n", 431),
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: localhost\r\n continued\r\n\r\n", 400),
    (b"GET / HTTP/3.0\r\nHost: localhost\r\n\r\n", 505),
    (b"POST /_debug/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc", 400),
    (b"POST /_debug/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
    (b"POST /_debug/echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
    (b"GET /\x00 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
    (b"\xff\xfe\r\n\r\n", 400),
])
def test_bad_requests_get_their_status_and_a_closed_connection(server, request_bytes, status):
    data = server.raw(request_bytes)
    assert data.startswith(f"HTTP/1.1 {status} ".encode()), data[:200]
    assert b"Connection: close" in data
    # The server is still healthy afterwards.
    assert server.get("/healthz")[0] == 200


def test_body_too_large_is_refused_before_it_is_read(famigo_server):
    srv = famigo_server(debug__test_routes=True, server__max_body_bytes="1KiB")
    with srv.connect() as sock:
        sock.sendall(b"POST /_debug/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n")
        # No body sent: the answer must come anyway.
        status, headers, _, _ = read_response(sock)
    assert status == 413 and headers["connection"] == "close"


def test_request_bodies_content_length_chunked_and_expect_continue(server):
    with server.connect() as sock:
        sock.sendall(b"POST /_debug/echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"4\r\nfami\r\n3;x=y\r\ngo!\r\n0\r\n\r\n")
        status, _, body, _ = read_response(sock)
        assert (status, body) == (200, b"famigo!")
        sock.sendall(b"POST /_debug/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        interim = sock.recv(1024)
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        sock.sendall(b"abcd")
        status, _, body, _ = read_response(sock)
        assert (status, body) == (200, b"abcd")
    big = bytes(range(256)) * 4096  # 1 MiB, read in several pieces
    with server.connect() as sock:
        sock.sendall(b"POST /_debug/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\n\r\n" % len(big) + big)
        status, _, body, _ = read_response(sock, timeout=10)
        assert status == 200 and body == big


def test_slow_headers_get_408_and_close(famigo_server):
    srv = famigo_server(server__header_timeout="300ms")
    with srv.connect() as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: loc")
        started = time.time()
        data = read_all(sock, timeout=5)
    assert data.startswith(b"HTTP/1.1 408 "), data
    assert time.time() - started < 2


def test_slow_body_gets_408(famigo_server):
    srv = famigo_server(debug__test_routes=True, server__body_timeout="300ms")
    with srv.connect() as sock:
        sock.sendall(b"POST /_debug/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nabc")
        data = read_all(sock, timeout=5)
    assert data.startswith(b"HTTP/1.1 408 "), data


def test_idle_keep_alive_connection_is_closed_after_timeout(famigo_server):
    srv = famigo_server(server__keepalive_timeout="300ms")
    with srv.connect() as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        read_response(sock)
        started = time.time()
        assert read_all(sock, timeout=5) == b""  # closed quietly, nothing to answer
        assert time.time() - started < 2


def test_slow_view_does_not_stall_other_connections(server):
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        slow = [pool.submit(server.get, "/_debug/sleep?ms=1500") for _ in range(2)]
        time.sleep(0.2)
        started = time.time()
        for _ in range(20):
            assert server.get("/healthz")[0] == 200
        assert time.time() - started < 1.0
        assert all(f.result()[0] == 200 for f in slow)


def test_overload_sheds_with_503(famigo_server):
    srv = famigo_server(debug__test_routes=True, server__workers=1, server__queue_limit=1)
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: srv.get("/_debug/sleep?ms=500"), range(6)))
    statuses = sorted(r[0] for r in results)
    assert statuses.count(503) >= 3 and 200 in statuses, statuses
    shed = [r for r in results if r[0] == 503][0]
    assert shed[1]["Retry-After"] == "1"
    metrics = srv.get("/metrics")[2].decode()
    assert "famigo_http_shed_total " in metrics and "famigo_http_shed_total 0\n" not in metrics


def test_too_many_connections_get_503(famigo_server):
    srv = famigo_server(server__max_connections=2)
    held = [srv.connect() for _ in range(2)]
    try:
        time.sleep(0.1)
        data = srv.raw(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert data.startswith(b"HTTP/1.1 503 ")
    finally:
        for sock in held:
            sock.close()


def test_view_exception_gives_500_without_internals(server):
    status, _, body = server.get("/_debug/error")
    assert status == 500
    assert b"secret" not in body and b"deliberate" not in body
    time.sleep(0.1)
    assert "deliberate failure" in server.log()  # the detail goes to the log


def test_method_not_allowed_and_not_found(server):
    data = server.raw(b"DELETE /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 405 ") and b"Allow: GET, HEAD" in data
    assert server.get("/no/such/page")[0] == 404


def test_host_validation_and_old_domain_redirect(famigo_server):
    srv = famigo_server(http__allowed_hosts="www.famigo.com,localhost", http__canonical_host="www.famigo.com",
                        http__redirect_hosts="famigogames.com,.famigogames.com,famigo.com")
    assert srv.get("/healthz", {"Host": "evil.example"})[0] == 400
    status, headers, _ = srv.get("/healthz", {"Host": "www.famigo.com"})
    assert status == 200
    data = srv.raw(b"GET /app/minecraft/?ref=x HTTP/1.1\r\nHost: www.famigogames.com:80\r\nConnection: close\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 301 ")
    assert b"Location: http://www.famigo.com/app/minecraft/?ref=x\r\n" in data


def test_forwarded_headers_believed_only_from_trusted_proxies(famigo_server):
    trusted = famigo_server(http__trusted_proxies="127.0.0.1")
    untrusted = famigo_server()
    for srv in (trusted, untrusted):
        srv.raw(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 203.0.113.7\r\n"
                b"X-Request-Id: from-lb-1\r\nConnection: close\r\n\r\n")
    time.sleep(0.5)  # the access log is flushed every 200 ms
    first = json.loads(trusted.access_log.read_text().splitlines()[-1])
    second = json.loads(untrusted.access_log.read_text().splitlines()[-1])
    assert first["client"] == "203.0.113.7" and first["id"] == "from-lb-1"
    assert second["client"] == "127.0.0.1" and second["id"] != "from-lb-1"


def test_access_log_is_json_lines(server):
    server.get("/healthz", {"User-Agent": 'quote"and\\slash'})
    time.sleep(0.5)
    entry = json.loads(server.access_log.read_text().splitlines()[-1])
    assert entry["method"] == "GET" and entry["target"] == "/healthz" and entry["status"] == 200
    assert entry["route"] == "healthz" and entry["ua"] == 'quote"and\\slash'
    assert entry["bytes"] == 3 and entry["ms"] >= 0 and len(entry["id"]) == 21


def test_metrics_exposition(server):
    server.get("/healthz")
    server.get("/missing")
    text = server.get("/metrics")[2].decode()
    assert 'famigo_http_requests_total{route="healthz",status="200"}' in text
    assert 'famigo_http_requests_total{route="none",status="404"} 1' in text
    assert 'famigo_http_request_duration_seconds_bucket{route="healthz",le="+Inf"}' in text
    for family in ("famigo_http_requests_in_flight", "famigo_http_connections_open",
                   "famigo_http_response_bytes_total", "process_resident_memory_bytes"):
        assert f"# TYPE {family} " in text


def test_request_id_header_is_unique(server):
    ids = {server.get("/healthz")[1]["X-Request-Id"] for _ in range(5)}
    assert len(ids) == 5


def test_readiness_reports_an_unreachable_store(famigo_server, tmp_path):
    down = famigo_server(store__url="mongodb://127.0.0.1:9/famigo", store__timeout="300ms")
    status, _, body = down.get("/readyz")
    assert status == 503 and b"store: " in body
    assert down.get("/healthz")[0] == 200  # alive all the same
    up = famigo_server(store__url=f"sqlite://{tmp_path}/ready.db")
    assert up.get("/readyz")[0] == 200
