"""The failover drill: a PostgreSQL primary with a hot standby in synchronous
replication (synchronous_commit=on, synchronous_standby_names='*'), famigo
serving from both through one multi-host URL with target_session_attrs=
read-write, and a writer process inserting under load. The primary is
SIGKILLed (every server process), the standby is promoted, and then:
  - every insert the writer saw acknowledged is on the new primary (lost = 0);
  - the site (/readyz and /api/v1/apps) answers 200 again within 30 s;
  - the writer, reconnecting through the same URL, goes on writing.
The numbers are printed (pytest -s) and bounded: the whole drill takes about
15 s. The writer is the docstore_writer test helper, built beside the binary."""
import os
import signal
import subprocess
import threading
import time

import pytest

from conftest import FAMIGO
from pg_support import Cluster, new_state_dir

WRITER = FAMIGO.parents[1] / "tests" / "unit" / "docstore" / "docstore_writer"


def wait_for(predicate, timeout, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def test_failover_to_the_standby_loses_no_acknowledged_write(famigo_server):
    if not WRITER.exists():
        pytest.fail(f"{WRITER} is missing: build the docstore_writer target")
    primary = Cluster(new_state_dir()).start()
    standby = Cluster(new_state_dir())
    writer = None
    try:
        standby.run("standby", primary.state)
        primary.run("sync")
        assert wait_for(lambda: primary.psql("SELECT sync_state FROM pg_stat_replication") == "sync", 20), \
            "the standby never became synchronous"
        url = (f"postgresql://famigo@127.0.0.1:{primary.port()},127.0.0.1:{standby.port()}/famigo"
               "?target_session_attrs=read-write")
        migrated = subprocess.run([str(FAMIGO), "migrate", "--set", f"store.url={url}"], capture_output=True,
                                  text=True, timeout=120)
        assert migrated.returncode == 0, migrated.stderr
        server = famigo_server(store__url=url, store__timeout="3s", page_cache__enabled="false")
        assert server.get("/readyz")[0] == 200

        writer = subprocess.Popen([str(WRITER), url, "w", "--retry"], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True)
        acked = []
        reader = threading.Thread(target=lambda: acked.extend(line.strip() for line in writer.stdout), daemon=True)
        reader.start()
        assert wait_for(lambda: len(acked) > 200, 30), "the writer does not write"

        killed = time.monotonic()
        acked_at_kill = len(acked)
        primary.run("kill")  # SIGKILL: the postmaster and every backend at once
        standby.run("promote")
        promoted = time.monotonic()

        def serving():
            return all(server.get(path, timeout=5)[0] == 200 for path in ("/readyz", "/api/v1/apps"))

        assert wait_for(serving, 30, step=0.1), "the site did not serve again within 30 s"
        served = time.monotonic()
        assert wait_for(lambda: len(acked) > acked_at_kill + 200, 30), "the writer did not resume"
        resumed = time.monotonic()
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        reader.join(10)

        stored = set(standby.psql("SELECT id FROM c_durable").split())
        lost = [i for i in acked if i not in stored]
        print(f"\nfailover drill: {len(acked)} acknowledged inserts ({acked_at_kill} before the kill), "
              f"lost {len(lost)}; promote {promoted - killed:.2f} s after the kill; site serving again "
              f"{served - killed:.2f} s after the kill; writer resumed (+200) {resumed - killed:.2f} s after")
        assert lost == [], f"{len(lost)} acknowledged inserts lost, e.g. {lost[:5]}"
        assert served - killed < 30
    finally:
        if writer and writer.poll() is None:
            writer.kill()
            writer.wait()
        for cluster in (primary, standby):
            cluster.run("destroy", check=False)
