"""The document store through the real binary: `famigo db`, `migrate`, `backup`,
`restore` and `store copy`, on SQLite, on FerretDB (a MongoDB-wire server started
by tests/env/ferretdb) and on PostgreSQL (tests/env/postgres); a missing server
skips its cases unless FAMIGO_REQUIRE_SERVICES=1."""
import json
import os
import pathlib
import re
import subprocess

import pytest

from conftest import FAMIGO, ROOT
from pg_support import postgres  # noqa: F401 (a fixture)

APPS = [{"_id": f"a{i}", "slug": f"app-{i}", "name": f"App {i} — ünï", "platform": "ios" if i % 2 else "android",
         "rating": i % 5, "tags": ["game"] if i % 3 == 0 else ["tool"]} for i in range(50)]


def famigo(url, *args, stdin=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMIGO_STORE__")}
    return subprocess.run([str(FAMIGO), *args, "--set", f"store.url={url}"], input=stdin, capture_output=True,
                          text=True, env=env, timeout=120, cwd=ROOT)


@pytest.fixture(scope="module")
def ferretdb(tmp_path_factory):
    state = tmp_path_factory.mktemp("ferretdb")
    started = subprocess.run([str(ROOT / "tests/env/ferretdb"), "start", str(state)], capture_output=True, text=True)
    if started.returncode != 0:
        if os.environ.get("FAMIGO_REQUIRE_SERVICES") == "1":
            pytest.fail(f"FerretDB is required: {started.stderr}")
        pytest.skip(f"no FerretDB: {started.stderr.strip()}")
    yield started.stdout.strip()
    subprocess.run([str(ROOT / "tests/env/ferretdb"), "stop", str(state)])


@pytest.fixture(params=["sqlite", "mongodb", "postgresql"])
def store_url(request, tmp_path):
    """A function giving a fresh store URL of the parameter's backend for each name."""
    if request.param == "sqlite":
        return lambda name: f"sqlite://{tmp_path / name}.db"
    if request.param == "postgresql":
        return lambda name: request.getfixturevalue("postgres").database()
    base = request.getfixturevalue("ferretdb")
    return lambda name: f"{base}/{tmp_path.name[-20:].replace('-', '_')}_{name}"


def load(url):
    result = famigo(url, "migrate", "--sample-models")
    assert result.returncode == 0, result.stderr
    assert "index platform_1_rating_-1" in result.stdout and "index slug_1 (unique)" in result.stdout
    result = famigo(url, "db", "insert", "sample_apps", stdin="".join(json.dumps(a) + "\n" for a in APPS))
    assert result.returncode == 0 and result.stdout.strip() == "inserted 50", result.stderr


def lines(result):
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_find_count_indexes(store_url):
    url = store_url("main")
    load(url)
    found = lines(famigo(url, "db", "find", "sample_apps", '{"platform": "ios", "rating": {"$gte": 3}}',
                         "--sort", "-rating,slug", "--limit", "3", "--fields", "slug,rating"))
    assert found == [{"_id": "a19", "slug": "app-19", "rating": 4}, {"_id": "a29", "slug": "app-29", "rating": 4},
                     {"_id": "a39", "slug": "app-39", "rating": 4}]
    assert famigo(url, "db", "count", "sample_apps", '{"tags": "game"}').stdout.strip() == "17"
    assert famigo(url, "db", "count", "sample_apps").stdout.strip() == "50"
    assert famigo(url, "db", "count", "sample_apps", '{"name": {"$regex": "^app 1[0-9] ", "$options": "i"}}'
                  ).stdout.strip() == "10"
    assert len(lines(famigo(url, "db", "find", "sample_apps", '{"name": {"$regex": "ünï$"}}', "--skip", "45"))) == 5
    indexes = famigo(url, "db", "indexes", "sample_apps").stdout
    assert "platform_1_rating_-1 platform -rating" in indexes and "slug_1 (unique) slug" in indexes
    dup = famigo(url, "db", "insert", "sample_apps", stdin=json.dumps({"slug": "app-1"}) + "\n")
    assert dup.returncode == 1 and "duplicate key" in dup.stderr


@pytest.mark.parametrize("bad, message", [
    ('{"$where": "sleep(100)"}', "not allowed"),
    ('{"a": {"$function": {}}}', "not allowed"),
    ('{"a": {"$foo": 1}}', "unknown operator '$foo' at 'a'"),
    ('{"a": ', "not valid JSON"),
])
def test_bad_filters_are_refused_clearly(tmp_path, bad, message):
    result = famigo(f"sqlite://{tmp_path}/s.db", "db", "find", "things", bad)
    assert result.returncode != 0 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "terminate" not in result.stderr


def test_backup_and_restore_round_trip(store_url, tmp_path):
    source, target = store_url("source"), store_url("target")
    load(source)
    backup = tmp_path / "famigo.backup"
    made = famigo(source, "backup", str(backup))
    assert made.returncode == 0, made.stderr
    assert "(100%)" in made.stderr  # the progress display
    digest = pathlib.Path(f"{backup}.sha256").read_text().split()[0]
    assert subprocess.run(["sha256sum", str(backup)], capture_output=True, text=True).stdout.split()[0] == digest
    restored = famigo(target, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    every = ["db", "find", "sample_apps", "{}", "--sort", "_id"]
    assert lines(famigo(target, *every)) == lines(famigo(source, *every))
    assert famigo(target, "db", "indexes", "sample_apps").stdout == famigo(source, "db", "indexes", "sample_apps").stdout
    again = famigo(target, "restore", str(backup))
    assert again.returncode == 1 and "--force" in again.stderr
    assert famigo(target, "restore", str(backup), "--force").returncode == 0
    backup.write_bytes(backup.read_bytes()[:-10] + b"0123456789")
    damaged = famigo(target, "restore", str(backup), "--force")
    assert damaged.returncode == 1 and "damaged" in damaged.stderr


def test_commands_have_help_and_usage_errors(tmp_path):
    url = f"sqlite://{tmp_path}/h.db"
    for command in ("db", "migrate", "backup", "restore"):
        result = famigo(url, command, "--help")
        assert result.returncode == 0 and f"usage: famigo {command}" in result.stdout
    assert famigo(url, "db", "frobnicate", "x").returncode == 2
    assert famigo(url, "db", "find").returncode == 2
    assert famigo(url, "db", "find", "x", "--limit", "many").returncode == 2
    assert famigo(url, "backup").returncode == 2
    bad_url = subprocess.run([str(FAMIGO), "db", "count", "x", "--set", "store.url=redis://h/0"],
                             capture_output=True, text=True)
    assert bad_url.returncode == 1 and "store.url" in bad_url.stderr


def copied_shape(stdout):
    """(collections, indexes) of a `store copy` summary of the 50 sample documents.
    The installed apps' own (empty) collections count too, so the numbers grow
    as apps are added; a copy and its way back must agree on them."""
    found = re.search(r"copied 50 documents in (\d+) collections and (\d+) indexes", stdout)
    assert found, stdout
    collections, indexes = int(found[1]), int(found[2])
    assert collections >= 4 and indexes >= 19, stdout  # sample_apps and the other samples
    return collections, indexes


def test_store_copy_sqlite_to_mongodb_and_back(ferretdb, tmp_path):
    """The move issue 16 names: the embedded store to the Mongo backend and back,
    with progress and counts, and the same content checksum both ways."""
    source = f"sqlite://{tmp_path / 'source.db'}"
    load(source)
    target = f"{ferretdb}/copy_{tmp_path.name[-12:].replace('-', '_')}"
    copied = famigo(source, "store", "copy", source, target)
    assert copied.returncode == 0, copied.stderr
    shape = copied_shape(copied.stdout)
    assert "from sqlite to mongodb" in copied.stdout
    assert "copy: 50/50 sample_apps" in copied.stderr
    checksum = copied.stdout.rsplit("checksum ", 1)[1].split()[0]
    assert lines(famigo(target, "db", "count", "sample_apps", '{"platform": "ios"}')) == [25]
    assert "slug_1 (unique) slug" in famigo(target, "db", "indexes", "sample_apps").stdout
    back = f"sqlite://{tmp_path / 'back.db'}"
    returned = famigo(source, "store", "copy", target, back)
    assert returned.returncode == 0, returned.stderr
    assert "from mongodb to sqlite" in returned.stdout
    assert copied_shape(returned.stdout) == shape
    assert returned.stdout.rsplit("checksum ", 1)[1].split()[0] == checksum
    assert lines(famigo(back, "db", "count", "sample_apps")) == [50]


def test_store_copy_sqlite_to_postgresql_and_back(postgres, tmp_path):  # noqa: F811 (the fixture)
    source = f"sqlite://{tmp_path / 'source.db'}"
    load(source)
    target = postgres.database()
    copied = famigo(source, "store", "copy", source, target)
    assert copied.returncode == 0, copied.stderr
    shape = copied_shape(copied.stdout)
    assert "from sqlite to postgresql" in copied.stdout
    assert "copy: 50/50 sample_apps" in copied.stderr  # the progress
    checksum = copied.stdout.rsplit("checksum ", 1)[1].split()[0]
    assert lines(famigo(target, "db", "count", "sample_apps", '{"platform": "ios"}')) == [25]
    indexes = famigo(target, "db", "indexes", "sample_apps").stdout
    assert "slug_1 (unique) slug" in indexes and "platform_1_rating_-1" in indexes
    back = f"sqlite://{tmp_path / 'back.db'}"
    returned = famigo(source, "store", "copy", target, back)
    assert returned.returncode == 0, returned.stderr
    assert copied_shape(returned.stdout) == shape
    assert returned.stdout.rsplit("checksum ", 1)[1].split()[0] == checksum
    # A destination with documents is refused, naming the way out.
    again = famigo(source, "store", "copy", source, back)
    assert again.returncode != 0 and "--force" in again.stderr
    assert famigo(source, "store", "copy", source, back, "--force").returncode == 0
    bad = famigo(source, "store", "copy", source)
    assert bad.returncode != 0 and "usage: famigo store copy" in bad.stderr
