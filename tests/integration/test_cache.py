"""The page cache through the real binary, on the default memory backend:
hits, 304s, the anonymous rule, invalidation, a 500-request stampede that runs
the view once, and stale-if-error. Uses the /_debug/cache/ routes."""
import time

from cache_support import concurrent_gets, fills, metric, raw_get, raw_post

PAGE = "/_debug/cache/page"


def start(famigo_server, **settings):
    return famigo_server(debug__test_routes=True, server__drain_grace="0", **settings)


def test_second_request_is_a_hit_with_etag_and_304(famigo_server):
    server = start(famigo_server)
    status, head, body = raw_get(server, PAGE + "?key=a")
    assert status == 200 and body == b"page key=a fill 1\n"
    etag = head["etag"]
    for _ in range(5):
        status, again, body = raw_get(server, PAGE + "?key=a")
        assert (status, body, again["etag"]) == (200, b"page key=a fill 1\n", etag)
    status, head, body = raw_get(server, PAGE + "?key=a", f"If-None-Match: {etag}\r\n")
    assert status == 304 and body == b"" and head["etag"] == etag
    assert fills(server) == 1
    assert metric(server, "famigo_cache_hits_total", 'layer="page"') == 6
    assert metric(server, "famigo_cache_not_modified_total") == 1


def test_requests_with_credentials_bypass_the_cache(famigo_server):
    server = start(famigo_server)
    raw_get(server, PAGE + "?key=b")
    _, _, body = raw_get(server, PAGE + "?key=b", "Cookie: sessionid=x\r\n")
    assert body == b"page key=b fill 2\n"
    _, _, body = raw_get(server, PAGE + "?key=b", "Authorization: Basic eDp5\r\n")
    assert body == b"page key=b fill 3\n"
    assert raw_get(server, PAGE + "?key=b")[2] == b"page key=b fill 1\n"


def test_disabled_page_cache_runs_every_view(famigo_server):
    server = start(famigo_server, page_cache__enabled=False)
    raw_get(server, PAGE + "?key=c")
    raw_get(server, PAGE + "?key=c")
    assert fills(server) == 2


def test_invalidating_the_namespace_refills(famigo_server):
    server = start(famigo_server)
    raw_get(server, PAGE + "?key=d")
    raw_get(server, PAGE + "?key=e")
    assert raw_post(server, "/_debug/cache/invalidate?ns=pages") == (200, b"invalidated pages\n")
    assert raw_get(server, PAGE + "?key=d")[2] == b"page key=d fill 3\n"
    assert raw_get(server, PAGE + "?key=e")[2] == b"page key=e fill 4\n"


def test_stampede_of_500_requests_on_an_expired_page_runs_the_view_once(famigo_server):
    server = start(famigo_server, page_cache__default_ttl="1s",
                   page_cache__stale_while_revalidate="0", server__max_connections=2000)
    path = PAGE + "?key=hot&ms=300"
    raw_get(server, path)
    time.sleep(1.1)  # expired, and no stale window: every request needs the fill
    results = concurrent_gets(server, path, 500)
    assert all(status == 200 for status, _ in results), {s for s, _ in results}
    assert {body for _, body in results} == {b"page key=hot&ms=300 fill 2\n"}
    assert fills(server) == 2  # the first fill and one for the whole stampede
    assert metric(server, "famigo_cache_fills_total", 'layer="page"') == 2


def test_a_failing_view_is_covered_by_the_stale_page(famigo_server):
    server = start(famigo_server, page_cache__default_ttl="1s",
                   page_cache__stale_while_revalidate="0", page_cache__stale_if_error="1m")
    raw_get(server, PAGE + "?key=f")
    assert raw_post(server, "/_debug/cache/fail?on=1") == (200, b"failing\n")
    time.sleep(1.1)
    status, _, body = raw_get(server, PAGE + "?key=f")
    assert (status, body) == (200, b"page key=f fill 1\n")
    assert raw_get(server, PAGE + "?key=never-cached")[0] == 500  # nothing stale to fall back on
    assert metric(server, "famigo_cache_stale_served_total", 'reason="error"') == 1


def test_checks_before_the_page_cache_still_apply_to_cached_pages(famigo_server):
    """A hit answered on the I/O thread has passed every earlier check: the
    https redirect, Host validation and the proxy's X-Forwarded-Proto for HSTS."""
    server = start(famigo_server, http__trusted_proxies="127.0.0.1", security__ssl_redirect=True,
                   security__hsts_seconds=3600)
    https = "X-Forwarded-Proto: https\r\n"
    status, head, _ = raw_get(server, PAGE + "?key=h", https)
    assert status == 200 and "max-age=3600" in head["strict-transport-security"]
    status, head, _ = raw_get(server, PAGE + "?key=h", https)  # now a hit
    assert status == 200 and "max-age=3600" in head["strict-transport-security"]
    assert metric(server, "famigo_cache_hits_total", 'layer="page"') == 1
    status, head, _ = raw_get(server, PAGE + "?key=h")  # plain http: redirected, not served
    assert status == 301 and head["location"].startswith("https://")
    status, _, _ = raw_get(server, PAGE + "?key=h", "Host: evil.example\r\n")
    assert status == 400
    # (the /_debug/cache/fills control is itself redirected to https here; /metrics is exempt)
    assert metric(server, "famigo_cache_fills_total", 'layer="page"') == 1
