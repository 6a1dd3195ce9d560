"""Security suite, the product apps' side (issue 9): what an outside attack found in
how the apps read query strings.

- item 2: made-up query strings must not make new page-cache entries (a flood of them
  evicted login lockouts and sessions); the page cache keys a route's pages by the
  canonical query of the parameters its view reads.
- item 7: a malformed query string is a 400 on every route, through the one error path.
- item 10: `q` and `term` lengths count characters, as the form's maxlength and the
  OpenAPI maxLength do.
"""
import json
import random
import re
import sqlite3
import urllib.parse

import pytest

from conftest import start_server


@pytest.fixture(scope="module")
def cached_site(catalog_db, tmp_path_factory):
    """The demo catalog with the page cache on (the default)."""
    tmp = tmp_path_factory.mktemp("security-app")
    db = tmp / "copy.db"
    with sqlite3.connect(catalog_db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    server = start_server(tmp, {"store.url": f"sqlite:///{db}"})
    yield server
    server.stop()


def page_fills(server):
    status, _, body = server.get("/metrics")
    assert status == 200
    match = re.search(r'^famigo_cache_fills_total\{layer="page"\} (\d+)', body.decode(), re.M)
    assert match, "no page-cache fill counter in /metrics"
    return int(match.group(1))


def test_item02_made_up_query_strings_make_no_new_pages(cached_site):
    rand = random.Random(2)
    floods = {
        "/api/v1/apps?per_page=100&page=3": "/api/v1/apps?per_page=100&page=3&x={}",
        "/": "/?x={}",
        "/app/head-soccer/": "/app/head-soccer/?utm_source={}",
        "/browse/?age=6-8&platform=ios": "/browse/?platform=ios&age=6-8&junk={}",
        "/free-apps/?page=2": "/free-apps/?page=2&sort=title&x={}",
        "/autocomplete/?term=angry": "/autocomplete/?term=angry&x={}",
    }
    for plain, flood in floods.items():
        assert cached_site.get(plain)[0] == 200, plain
        before = page_fills(cached_site)
        first = cached_site.get(plain)[2]
        for _ in range(150):
            status, _, body = cached_site.get(flood.format(rand.getrandbits(64)))
            assert status == 200
            assert body == first, flood  # the same page: unknown parameters change nothing
        assert page_fills(cached_site) == before, f"{flood} made new pages"
    # Parameters in another order, or repeated defaults, are the same page too.
    before = page_fills(cached_site)
    for query in ("platform=android&price=free", "price=free&platform=android",
                  "price=free&platform=android&sort=rating&page=1&per_page=20"):
        assert cached_site.get("/api/v1/apps?" + query)[0] == 200
    assert page_fills(cached_site) == before + 1


BAD_QUERIES = ["x=%zz", "next=%00", "term=%", "page=%G1", "a=1&b=%4"]
ROUTES = ["/", "/app/head-soccer/", "/free-apps/", "/browse/", "/about/data/",
          "/accounts/login/", "/api/v1/apps", "/api/v1/apps/head-soccer", "/autocomplete/"]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_item07_malformed_query_strings_are_400_everywhere(cached_site, query):
    for path in ROUTES:
        status, headers, body = cached_site.get(f"{path}?{query}")
        assert status == 400, (path, query, status)
        if path.startswith("/api/"):
            assert json.loads(body)["error"]["code"] == "bad_query"
        else:
            assert headers["Content-Type"].startswith("text/html")
            assert b"That request didn&#x27;t work" in body
    assert "unhandled error" not in cached_site.log()


def test_item10_q_and_term_lengths_count_characters(cached_site):
    def get(path, **params):
        return cached_site.get(path + "?" + urllib.parse.urlencode(params))

    # The listing filters take 100 characters; site search (/search/ and its
    # API, where the header box sends its text) takes 200.
    limits = (("/api/v1/apps", "q", 100), ("/browse/", "q", 100), ("/autocomplete/", "term", 100),
              ("/search/", "q", 200), ("/api/v1/search", "q", 200))
    for path, name, limit in limits:
        assert get(path, **{name: "é" * limit})[0] == 200, path  # 2 bytes a character
        assert get(path, **{name: "🎮" * limit})[0] == 200, path  # 4 bytes a character
        status, _, body = get(path, **{name: "é" * (limit + 1)})
        assert status == 400 and f"longer than {limit} characters".encode() in body, path
    doc = json.loads(cached_site.get("/api/v1/openapi.json")[2])
    params = {p["name"]: p["schema"] for p in doc["paths"]["/apps"]["get"]["parameters"]}
    assert params["q"]["maxLength"] == 100
    html = cached_site.get("/browse/")[2].decode()
    assert re.search(r'<input[^>]*name="q"[^>]*maxlength="200"', html)  # the header box
    assert re.search(r'<form[^>]*action="/search/"', html)
