"""bench/gen-catalog, the synthetic catalog generator (issues 12, 14, 17), at a
small size: the same seed gives the same bytes and another seed other bytes;
the files are what `famigo import` reads, every synthetic row becomes an app of
its own (no Google Play title repeats, no row rejected), and ids and fields are
plausible."""
import csv
import hashlib
import os
import re
import subprocess
import sys

import pytest

from conftest import FAMIGO, ROOT

GEN = ROOT / "bench" / "gen-catalog"
APPS = 24000  # the 18,037 real rows and about 6,000 synthetic ones


def generate(out, *args):
    subprocess.run([sys.executable, str(GEN), "--apps", str(APPS), "--out", str(out), "--quiet", *args],
                   check=True, timeout=120)
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest()
            for name in ("googleplaystore.csv", "AppleStore.csv")}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen")
    return out, generate(out)


def rows(path):
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_deterministic_by_seed(catalog, tmp_path):
    _, digests = catalog
    assert generate(tmp_path / "again") == digests
    other = generate(tmp_path / "other", "--seed", "2")
    assert all(other[name] != digests[name] for name in digests)


def test_rows_keep_the_export_layouts(catalog):
    out, _ = catalog
    play = rows(out / "googleplaystore.csv")
    ios = rows(out / "AppleStore.csv")
    assert play[0] == rows(ROOT / "data" / "googleplaystore.csv")[0]
    assert ios[0] == rows(ROOT / "data" / "AppleStore.csv")[0]
    assert len(play) - 1 + len(ios) - 1 == APPS
    # The split follows the demo's: 10,840 good Google Play rows to 7,197 App Store rows.
    assert abs((len(play) - 1) / APPS - 10840 / 18037) < 0.001
    synthetic_play = play[10841:]
    synthetic_ios = ios[7198:]
    assert synthetic_play and synthetic_ios
    titles = [r[0] for r in play[1:]]
    real = set(titles[:10840])
    assert not any(t in real for t in titles[10840:]), "a synthetic title repeats a real one"
    assert len(set(titles[10840:])) == len(titles[10840:]), "synthetic titles repeat"
    ids = [int(r[1]) for r in synthetic_ios]
    assert len(set(ids)) == len(ids) and min(ids) >= 2_000_000_000
    for r in synthetic_play:
        assert len(r) == 13 and r[0].strip()
        assert r[2] in ("NaN", "") or 1 <= float(r[2]) <= 5
        assert re.fullmatch(r"\d{1,2}-[A-Z][a-z]{2}-1\d", r[10]), r[10]
        assert re.fullmatch(r"[\d,]+\+?|Free|0", r[5]), r[5]
    for r in synthetic_ios:
        assert len(r) == 17 and r[2].strip()
        assert 0 <= float(r[8]) <= 5 and int(r[6]) >= 0


@pytest.mark.skipif(not FAMIGO.exists(), reason="famigo is not built")
def test_famigo_imports_every_generated_app(catalog, tmp_path):
    out, _ = catalog
    url = f"sqlite://{tmp_path / 'store.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMIGO_STORE__")}
    run = subprocess.run([str(FAMIGO), "import", "--set", f"store.url={url}", str(out)],
                         capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    total = next(l for l in run.stdout.splitlines() if l.startswith("total"))
    assert "0 rejected" in total, total
    # The real rows' 1,181 repeated Google Play names merge, as in the demo; nothing else does.
    play_titles = {r[0] for r in rows(out / "googleplaystore.csv")[1:]}
    expected = len(play_titles) + len(rows(out / "AppleStore.csv")) - 1
    count = subprocess.run([str(FAMIGO), "db", "count", "apps", "--set", f"store.url={url}"],
                           capture_output=True, text=True, env=env, timeout=60, cwd=ROOT)
    assert count.stdout.strip() == str(expected)
    assert expected == APPS - 1181
