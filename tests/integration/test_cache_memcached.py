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
    assert metric(server, "famigo_cache_dead_servers") == 1
    servers.restart(0)
    time.sleep(1.5)  # past retry_dead_after: pages are filled again, then hit
    fills_after_back = fills(server)
    hits_after_back = metric(server, "famigo_cache_hits_total", 'layer="page"')
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
    assert metric(server, "famigo_cache_hits_total", 'layer="page"') > hits_after_back + 100
    assert metric(server, "famigo_cache_dead_servers") == 0
