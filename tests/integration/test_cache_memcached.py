"""The page cache on real memcached through the binary: hits across two
famigo processes sharing the servers, and memcached killed in the middle of a
load (no 5xx; the cache is used again once memcached is back)."""
import time

from cache_support import Load, fills, memcached, metric, raw_get  # noqa: F401 (fixture)

PAGE = "/_debug/cache/page"


def start(famigo_server, servers, **settings):
    return famigo_server(debug__test_routes=True, server__drain_grace="0",
                         cache__url=servers.url(), **settings)


def test_two_hosts_share_pages_through_memcached(famigo_server, memcached):
    servers = memcached(2)
    a = start(famigo_server, servers)
    b = start(famigo_server, servers)
    assert raw_get(a, PAGE + "?key=shared")[2] == b"page key=shared fill 1\n"
    status, head, body = raw_get(b, PAGE + "?key=shared")
    assert (status, body) == (200, b"page key=shared fill 1\n")  # b never ran its view
    assert fills(b) == 0
    etag = head["etag"]
    assert raw_get(a, PAGE + "?key=shared", f"If-None-Match: {etag}\r\n")[0] == 304


def test_memcached_killed_under_load_gives_no_5xx_and_is_used_again(famigo_server, memcached):
    servers = memcached(1)
    server = start(famigo_server, servers, cache__retry_dead_after="300ms",
                   cache__read_timeout="100ms", cache__connect_timeout="100ms")
    load = [Load(server) for _ in range(4)]
    for client in load:
        client.start()
    time.sleep(1.0)
    fills_before_kill = fills(server)
    assert fills_before_kill == 10  # one per page: the rest were hits
    servers.kill(0)
    time.sleep(1.5)
    fills_while_down = fills(server)
    assert fills_while_down > fills_before_kill + 20  # no cache: every request runs its view
    assert metric(server, "famigo_cache_server_errors_total") > 0
    servers.restart(0)
    # Past retry_dead_after the server is tried again; pages are filled, then hit.
    # (memcached's own hits: a page shared by a fill in flight proves nothing.)
    hits = metric(server, "famigo_cache_hits_total", 'layer="store"')
    deadline = time.time() + 10
    while time.time() < deadline:
        time.sleep(0.2)
        now = metric(server, "famigo_cache_hits_total", 'layer="store"')
        if now - hits > 50:
            break
        hits = now
    time.sleep(0.3)
    fills_after_back = fills(server)
    hits_after_back = metric(server, "famigo_cache_hits_total", 'layer="store"')
    time.sleep(1.0)
    for client in load:
        client.stopping.set()
    for client in load:
        client.join(10)
    statuses = {}
    for client in load:
        for status, count in client.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
        assert not client.errors, client.errors
    assert set(statuses) == {200}, statuses
    assert sum(statuses.values()) > 500
    assert fills(server) - fills_after_back <= 10  # cached again: no view runs beyond refills
    assert metric(server, "famigo_cache_hits_total", 'layer="store"') > hits_after_back + 100
    assert metric(server, "famigo_cache_dead_servers") == 0
