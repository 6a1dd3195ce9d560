"""The Sandbox client simulator: 50 devices of 20 families against the real
binary. Families are created with duplicate concurrent requests and retries
(with and without an Idempotency-Key), devices registered; two devices of a
family sync a kid's sandbox at once (412, then read and retry); devices go
offline and send their launches twice in shuffled batches. Asserts: one
family per email, one device per device_id, each launch once, counts equal
the events sent, no cross-family reads. Bounded: a few seconds."""
import concurrent.futures
import json
import random
import time
import uuid

import pytest

from conftest import famigo, start_server
from test_families_api import Api

FAMILIES = 20
DEVICES = 50
EVENTS_PER_DEVICE = 60


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sandbox-sim")
    server = start_server(tmp, {"server.drain_grace": "0", "families.rate_per_key": "100000",
                                "families.rate_per_device": "10000"})
    store = f"sqlite:///{tmp / 'store-famigo-0.db'}"
    key = famigo("apikey", "create", "simulator", "--set", f"store.url={store}").stdout.strip()
    yield Api(server, store), key
    server.stop()


def test_sandbox_client_simulator(sim):
    api, key = sim
    rng = random.Random(10)
    run = uuid.uuid4().hex[:6]
    emails = [f"sim{i}-{run}@example.com" for i in range(FAMILIES)]
    pool = concurrent.futures.ThreadPoolExecutor(16)

    # 1. Each family is created by 3 concurrent requests (a retrying client),
    # one of them twice with the same Idempotency-Key.
    def create(email, idem):
        headers = {"Idempotency-Key": idem} if idem else {}
        for _ in range(50):  # retries: 409 while a twin with the same key is answered
            status, response, doc = api.call("POST", "/api/v1/families", {"email": email, "name": "Sim"},
                                             key=key, headers=headers)
            if status in (200, 201):
                # A replay of an Idempotency-Key repeats the first answer (201 too).
                replayed = response.getheader("Idempotent-Replayed") == "true"
                return email, status if not replayed else "replay", doc["family"]["id"]
            assert status == 409, doc
            time.sleep(0.02)
        raise AssertionError(f"{email}: {status} {doc}")

    jobs = []
    for email in emails:
        idem = uuid.uuid4().hex
        jobs += [(email, None), (email, idem), (email, idem), (email.upper(), None)]
    rng.shuffle(jobs)
    results = list(pool.map(lambda job: create(*job), jobs))
    ids = {}
    for email, status, family_id in results:
        ids.setdefault(email.lower(), set()).add(family_id)
    assert all(len(v) == 1 for v in ids.values()), "a duplicate family"
    assert len(ids) == FAMILIES
    family_of = {email: next(iter(v)) for email, v in ids.items()}
    # Exactly one answer per email said "created".
    created = [e.lower() for e, s, _ in results if s == 201]
    assert sorted(created) == sorted(emails)

    # 2. 50 devices (2-3 per family); each registers twice (the app reinstalled).
    devices = []
    for d in range(DEVICES):
        email = emails[d % FAMILIES]
        devices.append({"family": family_of[email], "device_id": f"dev-{d}"})
    def register(device):
        body = {"family_id": device["family"], "device_id": device["device_id"], "model": "Sim"}
        first = api.call("POST", "/api/v1/devices", body, key=key)
        again = api.call("POST", "/api/v1/devices", body, key=key)
        assert first[0] == 201 and again[0] == 200, (first, again)
        assert first[2]["device"]["id"] == again[2]["device"]["id"]
        device["token"] = again[2]["token"]
    list(pool.map(register, devices))

    # Each family gets one kid, made by its first device.
    kid_of = {}
    for device in devices:
        if device["family"] not in kid_of:
            status, _, kid = api.call("POST", f"/api/v1/families/{device['family']}/kids",
                                      {"name": "Kid", "birth_year": 2017}, key=key, token=device["token"])
            assert status == 201
            kid_of[device["family"]] = kid["id"]

    # 3. Two devices of each family add one app each to the sandbox at once:
    # read, modify, write with If-Match; on 412 read again and retry.
    conflicts = []
    def add_app(device, app):
        path = f"/api/v1/kids/{kid_of[device['family']]}/sandbox"
        for _ in range(20):
            _, response, box = api.call("GET", path, key=key, token=device["token"])
            status, _, _ = api.call("PUT", path, {"apps": box["apps"] + [app]}, key=key,
                                    token=device["token"], headers={"If-Match": response.getheader("ETag")})
            if status == 200:
                return
            assert status == 412
            conflicts.append(app)
        raise AssertionError("no progress after 20 tries")
    pairs = {}
    for device in devices:
        pairs.setdefault(device["family"], []).append(device)
    sync_jobs = [(pair[i], f"app-{i}") for pair in pairs.values() for i in range(2)]
    list(pool.map(lambda job: add_app(*job), sync_jobs))
    for family, pair in pairs.items():
        box = api.call("GET", f"/api/v1/kids/{kid_of[family]}/sandbox", key=key, token=pair[0]["token"])[2]
        assert sorted(box["apps"]) == ["app-0", "app-1"], "a sandbox write was lost"

    # 4. Offline devices send their launches twice, in shuffled batches.
    def send(device):
        kid = kid_of[device["family"]]
        events = [{"event_id": f"{device['device_id']}-{i}", "kid_id": kid, "app": f"app-{i % 5}",
                   "started_at": "2026-12-01T10:00:00Z", "seconds": i} for i in range(EVENTS_PER_DEVICE)]
        recorded = 0
        for _ in range(2):
            shuffled = events[:]
            rng_local = random.Random(device["device_id"])
            rng_local.shuffle(shuffled)
            for start in range(0, len(shuffled), 25):
                status, _, report = api.call("POST", "/api/v1/launches", {"events": shuffled[start:start + 25]},
                                             key=key, token=device["token"])
                assert status == 200 and report["rejected"] == []
                recorded += report["recorded"]
        return recorded
    recorded = sum(pool.map(send, devices))
    assert recorded == DEVICES * EVENTS_PER_DEVICE

    # 5. Counts and isolation, through each family's export.
    for email, family in family_of.items():
        token = next(d["token"] for d in devices if d["family"] == family)
        data = api.call("GET", f"/api/v1/families/{family}/export", key=key, token=token)[2]
        own = [d for d in devices if d["family"] == family]
        assert len(data["devices"]) == len(own)
        assert len(data["launches"]) == len(own) * EVENTS_PER_DEVICE
        assert len({l["event_id"] for l in data["launches"]}) == len(data["launches"])
        other = next(f for f in family_of.values() if f != family)
        assert api.call("GET", f"/api/v1/families/{other}/export", key=key, token=token)[0] == 404
        assert json.dumps(data).count(other) == 0
    pool.shutdown()
