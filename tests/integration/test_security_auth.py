"""Security suite, issue 9 items 2, 3, 4, 6 and 13 (the login, sessions and
pages' policy): security state survives a page-cache flood, the login
throttle holds under concurrency and hashing is bounded, throttling is per
(account, address) first so nobody can lock out a named user, the header's
Log out form works, and every page carries a strict Content-Security-Policy."""
import concurrent.futures
import re
import urllib.request

import pytest

from test_auth import FAST_HASH, PASSWORD, SECRET, Client, create_user, log_in, login_token, who


@pytest.fixture
def store_url(tmp_path):
    return f"sqlite://{tmp_path / 'auth.db'}"


@pytest.fixture
def start(famigo_server, store_url):
    def start_with(**settings):
        merged = {"store.url": store_url, "security.secret_key": SECRET, **FAST_HASH}
        merged.update({key.replace("__", "."): value for key, value in settings.items()})
        return famigo_server(merged)

    return start_with


def metric(server, name):
    _, _, body = server.get("/metrics")
    match = re.search(rf"^{name}(?:{{[^}}]*}})? ([0-9.e+]+)$", body.decode(), re.M)
    return float(match.group(1)) if match else 0.0


def flood(server, count, workers=8):
    """Anonymous GETs of `count` distinct, valid API URLs (each a new page entry)."""
    def fetch(n):
        return server.get(f"/api/v1/apps?q=flood{n}")[0]

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(fetch, range(count)))


def test_item02_page_cache_flood_keeps_lockouts_and_sessions(start, store_url):
    create_user(store_url, "ann")
    create_user(store_url, "bob")
    # A small page cache, so a few thousand pages overflow it many times.
    server = start(cache__url="memory://?max=1MiB&shards=1")
    bob = Client(server)
    assert log_in(bob, "bob")[0] == 303
    for _ in range(5):
        assert log_in(Client(server), "ann", "nope")[0] == 200
    assert log_in(Client(server), "ann")[0] == 429, "locked before the flood"

    statuses = flood(server, 3000)
    assert statuses.count(200) == len(statuses)
    assert metric(server, "famigo_cache_evictions_total") > 1000, "the flood evicted pages"

    assert log_in(Client(server), "ann")[0] == 429, "the lock-out survived the flood"
    assert who(bob) == "bob", "the session survived the flood"

