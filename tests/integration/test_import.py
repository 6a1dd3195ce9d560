"""`famigo import` through the real binary: the demo files in data/ into a
temporary SQLite store, exact counts, an idempotent re-import, the flawed row
reported with its line, progress lines when stderr is not a terminal,
--if-empty, and bad files."""
import json
import os
import re
import subprocess

import pytest

from conftest import FAMIGO, ROOT

DATA = ROOT / "data"


def famigo(url, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMIGO_STORE__")}
    return subprocess.run([str(FAMIGO), *args, "--set", f"store.url={url}"], capture_output=True, text=True,
                          env=env, timeout=300, cwd=ROOT)


def counts(stdout, name):
    """{'read': n, 'inserted': n, ...} from the summary line of `name`."""
    line = next(l for l in stdout.splitlines() if l.startswith(name))
    return {key.replace(" merged", ""): int(n) for n, key in
            re.findall(r"(\d+) (rows read|inserted|updated|unchanged|duplicates merged|rejected)", line)}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Both files imported once into a fresh store: (url, first run, second run)."""
    url = f"sqlite://{tmp_path_factory.mktemp('import') / 'store.db'}"
    first = famigo(url, "import", str(DATA / "googleplaystore.csv"), str(DATA / "AppleStore.csv"))
    second = famigo(url, "import", str(DATA))
    return url, first, second


def test_fresh_import_counts(imported):
    url, first, _ = imported
    assert first.returncode == 0, first.stderr
    assert counts(first.stdout, "googleplaystore.csv") == {
        "rows read": 10841, "inserted": 9659, "updated": 0, "unchanged": 0, "duplicates": 1181, "rejected": 1}
    assert counts(first.stdout, "AppleStore.csv") == {
        "rows read": 7197, "inserted": 7197, "updated": 0, "unchanged": 0, "duplicates": 0, "rejected": 0}
    assert counts(first.stdout, "total") == {
        "rows read": 18038, "inserted": 16856, "updated": 0, "unchanged": 0, "duplicates": 1181, "rejected": 1}
    assert "catalog generation now 1" in first.stdout
    count = famigo(url, "db", "count", "apps")
    assert count.returncode == 0 and count.stdout.strip() == "16856"
    assert famigo(url, "db", "count", "apps", '{"platform": "android"}').stdout.strip() == "9659"
    meta = json.loads(famigo(url, "db", "find", "meta").stdout)
    assert meta["_id"] == "catalog" and meta["generation"] == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["updated_at"])


def test_flawed_row_reported_with_its_line(imported):
    _, first, second = imported
    for run in (first, second):
        rejected = [l for l in run.stdout.splitlines() if ": rejected: " in l]
        assert len(rejected) == 1
        assert rejected[0].startswith("googleplaystore.csv:10474: rejected: ")
        assert "rating 19 is above 5" in rejected[0]


def test_reimport_is_idempotent(imported):
    url, first, second = imported
    assert second.returncode == 0, second.stderr
    total = counts(second.stdout, "total")
    assert total["inserted"] == 0 and total["updated"] == 0
    assert total["unchanged"] == 16856 and total["rows read"] == 18038 and total["duplicates"] == 1181
    assert "nothing changed" in second.stdout
    meta = json.loads(famigo(url, "db", "find", "meta").stdout)
    assert meta["generation"] == 1
    assert famigo(url, "db", "count", "apps").stdout.strip() == "16856"


def test_mapped_documents(imported):
    url = imported[0]
    app = json.loads(famigo(url, "db", "find", "apps", '{"source_id": "ios:281656475"}').stdout)
    assert app["title"] == "PAC-MAN Premium" and app["slug"] == "pac-man-premium"
    assert app["store_url"] == "https://apps.apple.com/app/id281656475"
    assert app["age_band"] == "0-5" and app["price"] == 3.99 and app["free"] is False
    assert app["descriptors"]["ads"] == "unknown" and app["approved"] is False
    gp = json.loads(famigo(url, "db", "find", "apps", '{"source_id": "gp:Pixel Draw - Number Art Coloring Book"}').stdout)
    assert gp["category"] == "art-and-design" and gp["genres"] == ["Art & Design", "Creativity"]
    assert gp["installs"] == 100000 and gp["last_updated"] == "2018-06-20" and gp["size_bytes"] == 2936013
    assert gp["rating"] == 4.3 and gp["rating_count"] == 967 and gp["platform"] == "android"
    # Google Play names repeat: the last row of a name is the one kept, once.
    assert famigo(url, "db", "count", "apps", '{"source_id": "gp:Coloring book moana"}').stdout.strip() == "1"
    slugs = famigo(url, "db", "find", "apps", "--fields", "slug").stdout.splitlines()
    assert len({json.loads(s)["slug"] for s in slugs}) == 16856


def test_progress_lines_when_not_a_terminal(imported):
    _, first, _ = imported
    # (libmongoc may add a warning line of its own; only ours are counted.)
    # (The first import into an empty search index builds it: its progress lines
    # say "search index" and are not counted either.)
    lines = [l for l in first.stderr.splitlines() if "mongoc" not in l and "search index" not in l]
    assert "import: googleplaystore.csv: 2000 rows (19%)" in lines
    assert "import: googleplaystore.csv: 10000 rows (92%)" in lines
    assert "import: AppleStore.csv: 6000 rows (83%)" in lines
    assert "import: writing 16856 new and 0 changed apps" in lines
    assert not any("\r" in l for l in lines)
    assert len(lines) == 5 + 3 + 1


def test_quiet_and_if_empty(tmp_path):
    url = f"sqlite://{tmp_path / 'store.db'}"
    first = famigo(url, "import", "--if-empty", "--quiet", str(DATA / "AppleStore.csv"))
    assert first.returncode == 0 and "import:" not in first.stderr
    assert counts(first.stdout, "AppleStore.csv")["inserted"] == 7197
    second = famigo(url, "import", "--if-empty", str(DATA))
    assert second.returncode == 0
    assert "the catalog already holds 7197 apps: nothing imported (--if-empty)" in second.stdout
    assert famigo(url, "db", "count", "apps").stdout.strip() == "7197"


def test_bad_files(tmp_path):
    url = f"sqlite://{tmp_path / 'store.db'}"
    other = tmp_path / "people.csv"
    other.write_text("name,email\nann,a@example.com\n")
    result = famigo(url, "import", str(DATA / "AppleStore.csv"), str(other))
    assert result.returncode == 1
    assert f"{other}: not a Google Play (App,Category,Rating,...) or App Store" in result.stderr
    missing = famigo(url, "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and "nope.csv: no such file or folder" in missing.stderr
    broken = tmp_path / "broken.csv"
    broken.write_text((DATA / "AppleStore.csv").read_text().splitlines()[0] + '\n1,2,"open\n')
    result = famigo(url, "import", str(broken))
    assert result.returncode == 1 and f"{broken}:2: a quoted field is not closed" in result.stderr
    assert famigo(url, "db", "count", "apps").stdout.strip() == "0"
    usage = famigo(url, "import")
    assert usage.returncode == 2 and "which files?" in usage.stderr
    assert famigo(url, "import", "--bogus", str(DATA)).returncode == 2
