"""The catalog through the real binary: pages, /api/v1/apps (every filter,
bad values, paging bounds), the OpenAPI document against what the handlers
accept, the autocomplete, ETag/304, and an import invalidating cached pages.

The demo catalog is imported once per module into a temporary SQLite store
(about 10 s), then `famigo editorial` gives a few apps descriptors, the
APProved flag and a review (with markup that must come out escaped).
"""

import json
import pathlib
import shutil
import sqlite3
import subprocess
import time
import urllib.parse

import pytest

from conftest import EDITORIAL, FAMIGO, ROOT, catalog_search_url, famigo, start_server

ALL_PARAMS = {"platform", "age", "price", "category", "no_ads", "no_iap", "approved", "q", "sort",
              "page", "per_page"}


@pytest.fixture(scope="module")
def site(catalog_db, tmp_path_factory):
    """A server with the page cache off, so every request runs the view."""
    server = start_server(tmp_path_factory.mktemp("site"),
                          {"store.url": f"sqlite:///{catalog_db}", "search.url": catalog_search_url(catalog_db),
                           "page_cache.enabled": "false"})
    yield server
    server.stop()


def api(server, path, **params):
    query = urllib.parse.urlencode(params)
    status, headers, body = server.get(path + ("?" + query if query else ""))
    return status, json.loads(body)


def all_items(server, **params):
    """Every item of a listing, following the next links."""
    items, path = [], "/api/v1/apps?" + urllib.parse.urlencode({**params, "per_page": 100})
    while path:
        status, headers, body = server.get(path)
        assert status == 200, body
        page = json.loads(body)
        items += page["items"]
        path = page["links"]["next"]
    return items


def count(catalog_db, where="1"):
    with sqlite3.connect(catalog_db) as conn:
        return conn.execute(f"SELECT count(*) FROM c_apps WHERE {where}").fetchone()[0]


# --- pages -------------------------------------------------------------------

def test_home_has_shelves_and_links(site):
    status, headers, body = site.get("/")
    html = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    for heading in ("Famigo APProved", "Best free games", "Best free apps"):
        assert heading in html
    assert 'href="/app/head-soccer/"' in html  # an APProved pick
    assert "/static/css/site" in html and "https://" not in html.split("<footer")[0]


def test_app_page_shows_facts_review_and_similar(site):
    status, _, body = site.get("/app/head-soccer/")
    html = body.decode()
    assert status == 200
    assert "<h1>Head Soccer</h1>" in html
    assert "Famigo APProved" in html and "iPhone &amp; iPad" in html and "Ages 0-5" in html
    assert "Quick &lt;b&gt;two-button&lt;/b&gt; matches." in html  # editorial text is escaped
    assert "Ads &amp; upsells." in html
    assert "img/app-placeholder" in html  # no icon in the data: the placeholder
    assert "Similar apps" in html


def test_unknown_app_gets_friendly_404(site):
    for path in ("/app/no-such-app/", "/no/such/page/"):
        status, headers, body = site.get(path)
        assert status == 404 and "find that page" in body.decode()
        assert headers["Content-Type"].startswith("text/html")
    status, headers, body = site.get("/api/v1/nothing")
    assert status == 404 and json.loads(body)["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/free-apps/", "/best-free-games/", "/approved/"])
def test_collections(site, path):
    status, _, body = site.get(path)
    assert status == 200 and 'class="cards"' in body.decode()
    assert site.get(path + "?page=99999")[0] == 404
    assert site.get(path + "?page=zero")[0] == 400


def test_browse_filters_sort_and_paging(site):
    status, _, body = site.get("/browse/?platform=ios&age=6-8&price=free&sort=title")
    html = body.decode()
    assert status == 200
    assert '<option value="ios" selected>' in html and '<option value="title" selected>' in html
    assert "Android</p>" not in html
    assert 'rel="next" href="/browse/?platform=ios&amp;age=6-8&amp;price=free&amp;sort=title&amp;page=2"' in html
    status, _, body = site.get("/browse/?age=7")
    assert status == 400 and "&#x27;age&#x27; must be one of" in body.decode()


def test_search_prefix_and_xss_in_query_is_escaped(site):
    status, _, body = site.get("/browse/?q=" + urllib.parse.quote('<script>alert(1)</script>'))
    html = body.decode()
    assert status == 200 and "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- API ---------------------------------------------------------------------

def test_api_page_shape_and_total(site, catalog_db):
    status, page = api(site, "/api/v1/apps")
    assert status == 200
    assert set(page) == {"items", "total", "page", "per_page", "pages", "links"}
    assert page["total"] == count(catalog_db) and page["per_page"] == 20 and len(page["items"]) == 20
    assert page["links"] == {"prev": None, "next": "/api/v1/apps?page=2"}
    assert "title_key" not in page["items"][0] and "source_id" not in page["items"][0]


def test_api_detail(site):
    status, app = api(site, "/api/v1/apps/head-soccer")
    assert status == 200 and app["title"] == "Head Soccer" and app["platform"] == "ios"
    status, error = api(site, "/api/v1/apps/no-such-app")
    assert status == 404 and error == {"error": {"code": "not_found", "field": "slug",
                                                 "message": "no app with the slug 'no-such-app'"}}


@pytest.mark.parametrize("params,check", [
    ({"platform": "ios"}, lambda a: a["platform"] == "ios"),
    ({"platform": "android"}, lambda a: a["platform"] == "android"),
    ({"age": "0-5"}, lambda a: a["age_band"] == "0-5"),
    ({"age": "9-12"}, lambda a: a["age_band"] in ("0-5", "6-8", "9-12")),
    ({"price": "free"}, lambda a: a["free"] and a["price"] == 0),
    ({"price": "paid"}, lambda a: not a["free"] and a["price"] > 0),
    ({"category": "education"}, lambda a: a["category"] == "education"),
    ({"no_ads": "1"}, lambda a: a["descriptors"]["ads"] == "no"),
    ({"no_iap": "true"}, lambda a: a["descriptors"]["in_app_purchases"] == "no"),
    ({"approved": "1"}, lambda a: a["approved"]),
    ({"q": "Head So"}, lambda a: a["title"].lower().startswith("head so")),
    ({"platform": "ios", "price": "paid", "age": "6-8"},
     lambda a: a["platform"] == "ios" and not a["free"] and a["age_band"] in ("0-5", "6-8")),
])
def test_api_filters(site, params, check):
    status, page = api(site, "/api/v1/apps", **params, per_page=100)
    assert status == 200
    assert page["total"] > 0 and page["items"]
    assert all(check(app) for app in page["items"]), params


def test_api_filter_totals_add_up(site, catalog_db):
    total = api(site, "/api/v1/apps")[1]["total"]
    by_platform = sum(api(site, "/api/v1/apps", platform=p)[1]["total"] for p in ("android", "ios"))
    by_price = sum(api(site, "/api/v1/apps", price=p)[1]["total"] for p in ("free", "paid"))
    assert total == by_platform == by_price
    assert api(site, "/api/v1/apps", no_ads=1)[1]["total"] == 2
    assert api(site, "/api/v1/apps", no_iap=1)[1]["total"] == 1
    assert api(site, "/api/v1/apps", approved=1)[1]["total"] == 2
    assert api(site, "/api/v1/apps", platform="ios")[1]["total"] == count(
        catalog_db, "json_extract(doc, '$.platform') = 'ios'")
    bands = [api(site, "/api/v1/apps", age=b)[1]["total"] for b in ("0-5", "6-8", "9-12", "13+")]
    assert bands == sorted(bands) and bands[-1] < total  # unrated apps are in no band


@pytest.mark.parametrize("sort,key,descending", [
    ("rating", lambda a: a["rating"], True),
    ("installs", lambda a: a["installs"], True),
    ("newest", lambda a: a["last_updated"], True),
    ("title", lambda a: a["title"].lower(), False),
])
def test_api_sorts(site, sort, key, descending):
    status, page = api(site, "/api/v1/apps", sort=sort, platform="android", category="education",
                       per_page=100)
    values = [key(a) for a in page["items"]]
    assert status == 200 and len(values) > 10
    if sort == "title":  # title_key folds case; compare the same way
        assert values == sorted(values)
    else:
        assert values == sorted(values, reverse=descending)


@pytest.mark.parametrize("params,field", [
    ({"platform": "windows"}, "platform"),
    ({"age": "7"}, "age"),
    ({"price": "cheap"}, "price"),
    ({"category": "Not A Slug!"}, "category"),
    ({"no_ads": "maybe"}, "no_ads"),
    ({"no_iap": "2"}, "no_iap"),
    ({"approved": "yes"}, "approved"),
    ({"q": "x" * 101}, "q"),
    ({"sort": "price"}, "sort"),
    ({"page": "0"}, "page"),
    ({"page": "-1"}, "page"),
    ({"page": "1.5"}, "page"),
    ({"page": "100001"}, "page"),
    ({"per_page": "0"}, "per_page"),
    ({"per_page": "101"}, "per_page"),
    ({"per_page": "lots"}, "per_page"),
])
def test_api_bad_values_are_400_naming_the_field(site, params, field):
    status, body = api(site, "/api/v1/apps", **params)
    assert status == 400
    assert body["error"]["code"] == "bad_parameter" and body["error"]["field"] == field
    assert field in body["error"]["message"]


def test_api_paging_bounds(site):
    ios = api(site, "/api/v1/apps", platform="ios", per_page=100)[1]
    assert ios["pages"] == -(-ios["total"] // 100) and len(ios["items"]) == 100
    last = api(site, "/api/v1/apps", platform="ios", per_page=100, page=ios["pages"])[1]
    assert last["links"]["next"] is None
    assert last["links"]["prev"] == f"/api/v1/apps?platform=ios&per_page=100&page={ios['pages'] - 1}"
    assert len(last["items"]) == ios["total"] - 100 * (ios["pages"] - 1)
    beyond = api(site, "/api/v1/apps", platform="ios", per_page=100, page=ios["pages"] + 1)[1]
    assert beyond["items"] == [] and beyond["links"]["next"] is None
    assert beyond["links"]["prev"].endswith(f"page={ios['pages']}")
    slugs = [a["slug"] for a in all_items(site, platform="ios", category="education")]
    assert len(slugs) == len(set(slugs)) == api(site, "/api/v1/apps", platform="ios",
                                                category="education")[1]["total"]


def test_openapi_matches_the_handlers(site):
    status, doc = api(site, "/api/v1/openapi.json")
    assert status == 200 and doc["openapi"].startswith("3.")
    operation = doc["paths"]["/apps"]["get"]
    params = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert set(params) == ALL_PARAMS
    for name, schema in params.items():
        for value in schema.get("enum", []):  # every documented value is accepted
            assert api(site, "/api/v1/apps", **{name: value, "per_page": 1})[0] == 200, (name, value)
        if "maximum" in schema:  # and the documented bounds are the enforced ones
            assert api(site, "/api/v1/apps", **{name: schema["maximum"] + 1})[0] == 400
            assert api(site, "/api/v1/apps", **{name: schema["minimum"] - 1})[0] == 400
    app_schema = doc["components"]["schemas"]["App"]
    sample = api(site, "/api/v1/apps/head-soccer")[1]
    assert set(app_schema["properties"]) == set(sample)
    assert "404" in doc["paths"]["/apps/{slug}"]["get"]["responses"]


# --- autocomplete, ETag ---------------------------------------------------------

def test_autocomplete_shape_and_prefix(site):
    status, headers, body = site.get("/autocomplete/?term=angry")
    results = json.loads(body)
    assert status == 200 and 0 < len(results) <= 10
    assert headers["Cache-Control"] == "public, max-age=86400"
    for item in results:
        assert {"name", "developer", "icon", "platform"} <= set(item)
        assert item["name"].lower().startswith("angry")
    assert len(json.loads(site.get("/autocomplete/?term=a")[2])) == 10
    assert json.loads(site.get("/autocomplete/?term=")[2]) == []
    assert json.loads(site.get("/autocomplete/")[2]) == []
    assert json.loads(site.get("/autocomplete/?term=zzzzqqq")[2]) == []
    assert site.get("/autocomplete/?term=" + "x" * 101)[0] == 400


def test_dynamic_pages_have_etag_and_304(site):
    for path in ("/", "/app/head-soccer/", "/api/v1/apps?platform=ios"):
        status, headers, body = site.get(path)
        etag = headers["ETag"]
        assert status == 200 and etag.startswith('"')
        status, headers, body = site.get(path, headers={"If-None-Match": etag})
        assert status == 304 and body == b"" and headers["ETag"] == etag
        assert site.get(path, headers={"If-None-Match": '"other"'})[0] == 200


# --- editorial ---------------------------------------------------------------

def test_editorial_is_checked_before_anything_changes(catalog_db, tmp_path):
    store = f"store.url=sqlite:///{catalog_db}"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"source_id": "ios:553834731", "approved": True},
                               {"source_id": "ios:487119327", "descriptors": {"ads": "maybe"}}]))
    result = famigo("editorial", "--set", store, str(bad), check=False)
    assert result.returncode == 1
    assert "entry 2 (ios:487119327): field 'descriptors.ads' fails rule 'choices'" in result.stderr
    assert count(catalog_db, "json_extract(doc, '$.slug') = 'candy-crush-saga' "
                             "AND json_extract(doc, '$.approved') = 1") == 0  # entry 1 not applied
    bad.write_text(json.dumps([{"source_id": "x", "colour": "red"}]))
    result = famigo("editorial", "--set", store, str(bad), check=False)
    assert result.returncode == 1 and "entry 1, 'colour': unknown key" in result.stderr
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps([{"source_id": "ios:0", "approved": True}]))
    result = famigo("editorial", "--set", store, str(unknown))
    assert "1 not in the catalog" in result.stdout and "no app with source_id 'ios:0'" in result.stdout


def test_shipped_editorial_file_applies_to_the_demo_catalog(catalog_db, tmp_path):
    db = tmp_path / "copy.db"
    with sqlite3.connect(catalog_db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    result = famigo("editorial", "--set", f"store.url=sqlite:///{db}", str(ROOT / "data/editorial.json"))
    assert " 0 not in the catalog" in result.stdout and "catalog generation now" in result.stdout
    again = famigo("editorial", "--set", f"store.url=sqlite:///{db}", str(ROOT / "data/editorial.json"))
    assert " 0 updated" in again.stdout and "generation" not in again.stdout


# --- page cache and import invalidation ---------------------------------------

def test_import_invalidates_cached_pages(catalog_db, tmp_path):
    db = tmp_path / "copy.db"
    with sqlite3.connect(catalog_db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    server = start_server(tmp_path, {"store.url": f"sqlite:///{db}", "catalog.watch_interval": "100ms"})
    try:
        assert "<h1>Head Soccer</h1>" in server.get("/app/head-soccer/")[2].decode()
        assert "<h1>Head Soccer</h1>" in server.get("/app/head-soccer/")[2].decode()  # now cached
        # The same App Store row with a new title, imported by another process.
        lines = (ROOT / "data/AppleStore.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        row = next(line for line in lines if ",Head Soccer," in line)
        csv = tmp_path / "AppleStore.csv"
        csv.write_text(lines[0] + row.replace(",Head Soccer,", ",Head Soccer Deluxe,"), encoding="utf-8")
        famigo("import", "--quiet", "--set", f"store.url=sqlite:///{db}", str(csv))
        deadline = time.time() + 5
        while time.time() < deadline:
            html = server.get("/app/head-soccer/")[2].decode()  # the slug is stable
            if "<h1>Head Soccer Deluxe</h1>" in html:
                break
            time.sleep(0.05)
        assert "<h1>Head Soccer Deluxe</h1>" in html
    finally:
        server.stop()
