"""PostgreSQL clusters for the integration tests (tests/env/postgres): private,
on free loopback ports, run as the unprivileged user famigo-pg when the tests
run as root. Missing PostgreSQL skips, or fails with FAMIGO_REQUIRE_SERVICES=1."""
import os
import subprocess
import tempfile

import pytest

from conftest import ROOT

ENV = ROOT / "tests" / "env" / "postgres"


class Cluster:
    def __init__(self, state):
        self.state = str(state)
        self.base = None
        self._databases = 0

    def run(self, *args, check=True):
        result = subprocess.run([str(ENV), args[0], self.state, *args[1:]], capture_output=True, text=True,
                                timeout=120)
        if check and result.returncode != 0:
            raise RuntimeError(f"tests/env/postgres {args[0]} failed: {result.stdout}{result.stderr}")
        return result

    def start(self):
        result = self.run("start", check=False)
        if result.returncode == 3:
            if os.environ.get("FAMIGO_REQUIRE_SERVICES") == "1":
                pytest.fail(f"PostgreSQL is required: {result.stderr}")
            pytest.skip(f"no PostgreSQL: {result.stderr.strip()}")
        assert result.returncode == 0, result.stderr
        self.base = result.stdout.strip().rsplit("/", 1)[0]
        return self

    def port(self):
        return int(open(os.path.join(self.state, "port")).read())

    def database(self, name=None):
        """A new empty database; its URL."""
        self._databases += 1
        name = name or f"db{self._databases}"
        self.run("psql", "-q", "-c", f"CREATE DATABASE {name}")
        return f"{self.base}/{name}"

    def psql(self, sql, database="famigo"):
        return self.run("psql", "-d", database, "-tA", "-c", sql).stdout.strip()


def new_state_dir():
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    return tempfile.mkdtemp(prefix="famigo-pg-it-", dir=base)


@pytest.fixture(scope="module")
def postgres():
    cluster = Cluster(new_state_dir())
    try:
        yield cluster.start()
    finally:
        cluster.run("destroy", check=False)
