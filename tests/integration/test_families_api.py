"""The Sandbox API v1 (apps/families) against the real binary: every endpoint,
its bad input, and that another family's device token gets 404 on each.
One server for the module (each test makes families of its own)."""
import concurrent.futures
import http.client
import json
import subprocess
import uuid

import pytest

from conftest import FAMIGO, famigo, start_server


class Api:
    def __init__(self, server, store):
        self.server = server
        self.store = store

    def call(self, method, path, body=None, key=None, token=None, headers=None, raw=None):
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        head = dict(headers or {})
        if key:
            head["X-Api-Key"] = key
        if token:
            head["Authorization"] = "Bearer " + token
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        if data is not None:
            head["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=head)
        response = conn.getresponse()
        text = response.read()
        conn.close()
        try:
            doc = json.loads(text) if text else None
        except ValueError:
            doc = text
        return response.status, response, doc


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("famapi")
    server = start_server(tmp, {"server.drain_grace": "0"})
    store = f"sqlite:///{tmp / 'store-famigo-0.db'}"
    yield Api(server, store)
    server.stop()


@pytest.fixture(scope="module")
def key(api):
    result = famigo("apikey", "create", "sandbox-tests", "--set", f"store.url={api.store}")
    secret = result.stdout.strip()
    assert secret.startswith("fk_") and len(secret) == 35
    return secret


def new_family(api, key, name="Fam"):
    email = f"{uuid.uuid4().hex[:10]}@example.com"
    status, _, doc = api.call("POST", "/api/v1/families", {"email": email, "name": name}, key=key)
    assert status == 201, doc
    family = doc["family"]
    status, _, doc = api.call("POST", "/api/v1/devices",
                              {"family_id": family["id"], "device_id": "dev-" + email, "model": "Pixel"},
                              key=key)
    assert status == 201, doc
    return family, doc["token"]


def assert_error(result, status, field=None, code=None):
    got, _, doc = result
    assert got == status, doc
    assert set(doc["error"]) == {"code", "message", "field"}
    if field is not None:
        assert doc["error"]["field"] == field, doc
    if code is not None:
        assert doc["error"]["code"] == code, doc


def test_apikey_cli_lists_and_revokes(api, key):
    listed = famigo("apikey", "list", "--set", f"store.url={api.store}").stdout
    assert "sandbox-tests\t" + key[:7] + "...\t" in listed and "active" in listed
    assert key not in listed
    again = famigo("apikey", "create", "sandbox-tests", "--set", f"store.url={api.store}", check=False)
    assert again.returncode == 1 and "already exists" in again.stderr
    bad = famigo("apikey", "create", "bad name", "--set", f"store.url={api.store}", check=False)
    assert bad.returncode == 2
    other = famigo("apikey", "create", "to-revoke", "--set", f"store.url={api.store}").stdout.strip()
    assert api.call("POST", "/api/v1/families", {"email": "r@example.com", "name": "R"}, key=other)[0] in (200, 201)
    famigo("apikey", "revoke", "to-revoke", "--set", f"store.url={api.store}")
    assert_error(api.call("POST", "/api/v1/families", {"email": "r@example.com", "name": "R"}, key=other),
                 401, "X-Api-Key", "bad_api_key")
    assert famigo("apikey", "revoke", "nope", "--set", f"store.url={api.store}", check=False).returncode == 1


def test_create_family_is_idempotent(api, key):
    email = f"{uuid.uuid4().hex[:8]}@Example.com"
    status, _, first = api.call("POST", "/api/v1/families", {"email": email, "name": "Smiths"}, key=key)
    assert status == 201
    assert len(first["family"]["id"]) == 22
    status, _, again = api.call("POST", "/api/v1/families", {"email": email.upper(), "name": "X"}, key=key)
    assert status == 200 and again["family"]["id"] == first["family"]["id"]


def test_ten_concurrent_duplicates_make_one_family(api, key):
    email = f"race-{uuid.uuid4().hex[:8]}@example.com"
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        results = list(pool.map(
            lambda _: api.call("POST", "/api/v1/families", {"email": email, "name": "Race"}, key=key),
            range(10)))
    statuses = sorted(r[0] for r in results)
    assert statuses == [200] * 9 + [201]
    assert len({r[2]["family"]["id"] for r in results}) == 1


def test_idempotency_key_replays_the_first_answer(api, key):
    email = f"idem-{uuid.uuid4().hex[:8]}@example.com"
    body = {"email": email, "name": "Idem"}
    idem = {"Idempotency-Key": uuid.uuid4().hex}
    first = api.call("POST", "/api/v1/families", body, key=key, headers=idem)
    assert first[0] == 201
    replay = api.call("POST", "/api/v1/families", body, key=key, headers=idem)
    assert replay[0] == 201 and replay[2] == first[2]
    assert replay[1].getheader("Idempotent-Replayed") == "true"
    assert_error(api.call("POST", "/api/v1/families", {"email": email, "name": "Other"}, key=key,
                          headers=idem), 422, "Idempotency-Key", "idempotency_key_reused")
    # Without the key the same email is still one family (200, not a second one).
    assert api.call("POST", "/api/v1/families", body, key=key)[0] == 200


def test_create_family_bad_input(api, key):
    assert_error(api.call("POST", "/api/v1/families", {"name": "A"}), 401, "X-Api-Key", "api_key_required")
    assert_error(api.call("POST", "/api/v1/families", {"name": "A"}, key=key), 400, "email")
    assert_error(api.call("POST", "/api/v1/families", {"email": "nope", "name": "A"}, key=key), 400, "email")
    assert_error(api.call("POST", "/api/v1/families", {"email": 5, "name": "A"}, key=key), 400, "email")
    assert_error(api.call("POST", "/api/v1/families", {"email": "n@example.com", "name": ""}, key=key),
                 400, "name")
    assert_error(api.call("POST", "/api/v1/families", raw="{not json", key=key), 400, "body")
    assert_error(api.call("POST", "/api/v1/families", raw="[1]", key=key), 400, "body")
    assert_error(api.call("POST", "/api/v1/families", {"email": "i@example.com", "name": "I"}, key=key,
                          headers={"Idempotency-Key": "x" * 201}), 400, "Idempotency-Key")


def test_devices_register_again_with_a_new_token(api, key):
    family, token = new_family(api, key)
    assert api.call("GET", f"/api/v1/families/{family['id']}/kids", key=key, token=token)[0] == 200
    body = {"family_id": family["id"], "device_id": "tablet-1", "model": "Tab"}
    status, _, first = api.call("POST", "/api/v1/devices", body, key=key)
    assert status == 201 and first["token"].startswith("fd_")
    status, _, again = api.call("POST", "/api/v1/devices", body, key=key)
    assert status == 200 and again["device"]["id"] == first["device"]["id"]
    assert again["token"] != first["token"]
    assert_error(api.call("GET", f"/api/v1/families/{family['id']}/kids", key=key, token=first["token"]),
                 401, "Authorization", "bad_device_token")
    assert api.call("GET", f"/api/v1/families/{family['id']}/kids", key=key, token=again["token"])[0] == 200
    assert_error(api.call("POST", "/api/v1/devices", {"family_id": "nope", "device_id": "d"}, key=key),
                 404, "family_id")
    assert_error(api.call("POST", "/api/v1/devices", {"family_id": family["id"]}, key=key), 400, "device_id")
    assert_error(api.call("POST", "/api/v1/devices", {"family_id": family["id"], "device_id": "x" * 129},
                          key=key), 400, "device_id")
    assert_error(api.call("GET", f"/api/v1/families/{family['id']}/kids", key=key), 401, "Authorization")
    assert_error(api.call("GET", f"/api/v1/families/{family['id']}/kids", token=token), 401, "X-Api-Key")


def test_kids_crud_and_bad_input(api, key):
    family, token = new_family(api, key)
    kids = f"/api/v1/families/{family['id']}/kids"
    status, _, kid = api.call("POST", kids, {"name": "Mia", "birth_year": 2018}, key=key, token=token)
    assert status == 201 and kid["name"] == "Mia" and len(kid["id"]) == 22 and kid["age_band"]
    assert [k["id"] for k in api.call("GET", kids, key=key, token=token)[2]["kids"]] == [kid["id"]]
    status, _, changed = api.call("PATCH", f"/api/v1/kids/{kid['id']}", {"name": "Mimi"}, key=key, token=token)
    assert status == 200 and changed["name"] == "Mimi" and changed["birth_year"] == 2018
    assert_error(api.call("POST", kids, {"name": "A"}, key=key, token=token), 400, "birth_year")
    assert_error(api.call("POST", kids, {"name": "A", "birth_year": 1950}, key=key, token=token), 400,
                 "birth_year")
    assert_error(api.call("POST", kids, {"name": "A", "birth_year": "2019"}, key=key, token=token), 400,
                 "birth_year")
    assert_error(api.call("POST", kids, {"name": "x" * 41, "birth_year": 2019}, key=key, token=token), 400,
                 "name")
    assert_error(api.call("PATCH", f"/api/v1/kids/{kid['id']}", {"surname": "Doe"}, key=key, token=token),
                 400, "surname")
    status, _, _ = api.call("DELETE", f"/api/v1/kids/{kid['id']}", key=key, token=token)
    assert status == 204
    assert api.call("GET", kids, key=key, token=token)[2]["kids"] == []
    assert_error(api.call("DELETE", f"/api/v1/kids/{kid['id']}", key=key, token=token), 404, "kid_id")


def test_sandbox_etag_and_if_match(api, key):
    family, token = new_family(api, key)
    kid = api.call("POST", f"/api/v1/families/{family['id']}/kids", {"name": "Leo", "birth_year": 2020},
                   key=key, token=token)[2]
    path = f"/api/v1/kids/{kid['id']}/sandbox"
    status, response, box = api.call("GET", path, key=key, token=token)
    assert status == 200 and box == {"kid_id": kid["id"], "apps": [], "version": 0}
    assert response.getheader("ETag") == '"0"'
    assert_error(api.call("PUT", path, {"apps": ["a"]}, key=key, token=token), 428, "If-Match")
    status, response, box = api.call("PUT", path, {"apps": ["app-a", "app-b"]}, key=key, token=token,
                                     headers={"If-Match": '"0"'})
    assert status == 200 and box["version"] == 1 and response.getheader("ETag") == '"1"'
    # A second device still holding version 0 is refused, not silently applied.
    assert_error(api.call("PUT", path, {"apps": ["app-c"]}, key=key, token=token,
                          headers={"If-Match": '"0"'}), 412, "If-Match", "precondition_failed")
    assert api.call("GET", path, key=key, token=token)[2]["apps"] == ["app-a", "app-b"]
    assert api.call("GET", path, key=key, token=token, headers={"If-None-Match": '"1"'})[0] == 304
    assert api.call("PUT", path, {"apps": []}, key=key, token=token, headers={"If-Match": "*"})[2]["version"] == 2
    assert_error(api.call("PUT", path, {"apps": ["Bad Slug"]}, key=key, token=token,
                          headers={"If-Match": '"2"'}), 400, "apps[0]")
    assert_error(api.call("PUT", path, {"apps": [1]}, key=key, token=token, headers={"If-Match": '"2"'}),
                 400, "apps[0]")
    assert_error(api.call("PUT", path, {"apps": "a"}, key=key, token=token, headers={"If-Match": '"2"'}),
                 400, "apps")
    assert_error(api.call("PUT", path, {"apps": ["a"] * 501}, key=key, token=token,
                          headers={"If-Match": '"2"'}), 400, "apps")
    assert_error(api.call("PUT", path, {"apps": []}, key=key, token=token, headers={"If-Match": "2"}),
                 400, "If-Match")


def test_launches_once_each_bad_ones_by_index(api, key):
    family, token = new_family(api, key)
    kid = api.call("POST", f"/api/v1/families/{family['id']}/kids", {"name": "Zoe", "birth_year": 2017},
                   key=key, token=token)[2]
    t = "2026-12-01T10:00:00Z"
    events = [
        {"event_id": "e1", "kid_id": kid["id"], "app": "app-a", "started_at": t, "seconds": 30},
        {"event_id": "e2", "kid_id": kid["id"], "app": "app-a", "started_at": t, "seconds": "30"},
        {"event_id": "e3", "kid_id": "nope", "app": "app-a", "started_at": t, "seconds": 30},
        "not an event",
        {"event_id": "e4", "kid_id": kid["id"], "app": "app-b", "started_at": t, "seconds": 5},
    ]
    status, _, report = api.call("POST", "/api/v1/launches", {"events": events}, key=key, token=token)
    assert status == 200
    assert report["recorded"] == 2 and report["duplicates"] == 0
    assert [(r["index"], r["field"]) for r in report["rejected"]] == [(1, "seconds"), (2, "kid_id"),
                                                                      (3, "events[3]")]
    status, _, again = api.call("POST", "/api/v1/launches", {"events": events}, key=key, token=token)
    assert again["recorded"] == 0 and again["duplicates"] == 2
    assert_error(api.call("POST", "/api/v1/launches", {"events": [events[0]] * 501}, key=key, token=token),
                 400, "events", "too_many_events")
    assert_error(api.call("POST", "/api/v1/launches", {"events": {}}, key=key, token=token), 400, "events")
    exported = api.call("GET", f"/api/v1/families/{family['id']}/export", key=key, token=token)[2]
    assert sorted(l["event_id"] for l in exported["launches"]) == ["e1", "e4"]


def test_recommendations_for_the_age_band(api, key, tmp_path):
    family, token = new_family(api, key)
    kid = api.call("POST", f"/api/v1/families/{family['id']}/kids", {"name": "Ava", "birth_year": 2019},
                   key=key, token=token)[2]
    band = kid["age_band"]
    apps = tmp_path / "apps.jsonl"
    apps.write_text("\n".join(json.dumps(a) for a in [
        {"slug": "rec-approved", "source_id": "t:1", "title": "A", "published": True, "age_band": band, "approved": True, "rating": 3},
        {"slug": "rec-rated", "source_id": "t:2", "title": "B", "published": True, "age_band": band, "approved": False, "rating": 5},
        {"slug": "rec-other-band", "source_id": "t:3", "title": "C", "published": True, "age_band": "x", "approved": True, "rating": 5},
    ]) + "\n")
    with apps.open() as stdin:
        result = subprocess.run([str(FAMIGO), "db", "insert", "apps", "--set", f"store.url={api.store}"],
                                stdin=stdin, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    api.call("PUT", f"/api/v1/kids/{kid['id']}/sandbox", {"apps": ["rec-rated"]}, key=key, token=token,
             headers={"If-Match": "*"})
    status, _, recs = api.call("GET", f"/api/v1/kids/{kid['id']}/recommendations", key=key, token=token)
    assert status == 200 and recs["age_band"] == band
    slugs = [a["slug"] for a in recs["apps"]]
    assert "rec-approved" in slugs and "rec-rated" not in slugs and "rec-other-band" not in slugs
    assert_error(api.call("GET", f"/api/v1/kids/{kid['id']}/recommendations?limit=0", key=key, token=token),
                 400, "limit")
    assert_error(api.call("GET", f"/api/v1/kids/{kid['id']}/recommendations?limit=x", key=key, token=token),
                 400, "limit")


def test_export_has_the_familys_data_and_no_secrets(api, key):
    family, token = new_family(api, key)
    api.call("POST", f"/api/v1/families/{family['id']}/kids", {"name": "Kai", "birth_year": 2016},
             key=key, token=token)
    status, _, data = api.call("GET", f"/api/v1/families/{family['id']}/export", key=key, token=token)
    assert status == 200
    assert data["family"]["id"] == family["id"] and data["kids"][0]["name"] == "Kai"
    assert len(data["devices"]) == 1 and "token_hash" not in data["devices"][0]
    assert token not in json.dumps(data)


def test_another_familys_token_gets_404_everywhere(api, key):
    ours, our_token = new_family(api, key, "Ours")
    theirs, their_token = new_family(api, key, "Theirs")
    kid = api.call("POST", f"/api/v1/families/{ours['id']}/kids", {"name": "Own", "birth_year": 2015},
                   key=key, token=our_token)[2]
    fid, kid_id = ours["id"], kid["id"]
    attempts = [
        ("GET", f"/api/v1/families/{fid}/kids", None, {}, "family_id"),
        ("POST", f"/api/v1/families/{fid}/kids", {"name": "X", "birth_year": 2015}, {}, "family_id"),
        ("PATCH", f"/api/v1/kids/{kid_id}", {"name": "X"}, {}, "kid_id"),
        ("DELETE", f"/api/v1/kids/{kid_id}", None, {}, "kid_id"),
        ("GET", f"/api/v1/kids/{kid_id}/sandbox", None, {}, "kid_id"),
        ("PUT", f"/api/v1/kids/{kid_id}/sandbox", {"apps": ["x"]}, {"If-Match": "*"}, "kid_id"),
        ("GET", f"/api/v1/kids/{kid_id}/recommendations", None, {}, "kid_id"),
        ("GET", f"/api/v1/families/{fid}/export", None, {}, "family_id"),
    ]
    for method, path, body, headers, field in attempts:
        got = api.call(method, path, body, key=key, token=their_token, headers=headers)
        assert_error(got, 404, field, "not_found")
        assert ours["email"] not in json.dumps(got[2]) and "Own" not in json.dumps(got[2])
        # An id that exists nowhere answers exactly the same.
        missing = api.call(method, path.replace(fid, "x" * 22).replace(kid_id, "y" * 22), body, key=key,
                           token=their_token, headers=headers)
        assert missing[0] == 404 and missing[2] == got[2]
    launch = {"event_id": "steal", "kid_id": kid_id, "app": "a", "started_at": "2026-12-01T00:00:00Z",
              "seconds": 1}
    report = api.call("POST", "/api/v1/launches", {"events": [launch]}, key=key, token=their_token)[2]
    assert report["recorded"] == 0 and report["rejected"][0]["field"] == "kid_id"
    # Our data is untouched.
    ours_now = api.call("GET", f"/api/v1/families/{fid}/export", key=key, token=our_token)[2]
    assert [k["name"] for k in ours_now["kids"]] == ["Own"] and ours_now["launches"] == []
    assert ours_now["sandboxes"] == []


def test_openapi_lists_every_endpoint_and_its_errors(api):
    status, _, doc = api.server.get("/api/v1/openapi.json")
    assert status == 200
    paths = json.loads(doc)["paths"]
    expected = {
        "/families": {"post": ["200", "201", "400", "401", "409", "422", "429"]},
        "/devices": {"post": ["200", "201", "400", "401", "404", "429"]},
        "/families/{family_id}/kids": {"get": ["200", "401", "404"], "post": ["201", "400", "404"]},
        "/kids/{kid_id}": {"patch": ["200", "400", "404"], "delete": ["204", "404"]},
        "/kids/{kid_id}/sandbox": {"get": ["200", "304", "404"], "put": ["200", "400", "404", "412", "428"]},
        "/launches": {"post": ["200", "400", "401", "429"]},
        "/kids/{kid_id}/recommendations": {"get": ["200", "400", "404"]},
        "/families/{family_id}/export": {"get": ["200", "404"]},
    }
    for path, methods in expected.items():
        for method, codes in methods.items():
            responses = paths[path][method]["responses"]
            for code in codes:
                assert code in responses, (path, method, code)
    assert "/apps" in paths  # the catalog's part is still there


def test_rate_limits_answer_429_with_retry_after(tmp_path, key):
    server = start_server(tmp_path, {"server.drain_grace": "0", "families.rate_per_device": "3",
                                     "families.rate_per_key": "1000"})
    try:
        store = f"sqlite:///{tmp_path / 'store-famigo-0.db'}"
        secret = famigo("apikey", "create", "limited", "--set", f"store.url={store}").stdout.strip()
        api = Api(server, store)
        family, token = new_family(api, secret)
        statuses = [api.call("GET", f"/api/v1/families/{family['id']}/kids", key=secret, token=token)
                    for _ in range(4)]
        assert [s[0] for s in statuses[:3]] == [200, 200, 200]
        assert_error(statuses[3], 429, None, "rate_limited")
        assert 1 <= int(statuses[3][1].getheader("Retry-After")) <= 60
    finally:
        server.stop()
