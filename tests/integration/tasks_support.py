"""Helpers for the task queue's integration tests: real servers started by a
tests/env script (redis, mailpit) on free loopback ports, `famigo worker` and
`famigo beat` processes, and the `famigo tasks` command."""
import json
import os
import pathlib
import re
import signal
import subprocess
import time
import urllib.request

import pytest

from conftest import FAMIGO, ROOT, Server


class EnvService:
    """Servers started by tests/env/<script> in `state_dir`; stop() ends them
    (the script signals only the PIDs it wrote)."""

    def __init__(self, script, state_dir, count=1, args=()):
        self.script = str(ROOT / "tests" / "env" / script)
        self.dir = str(state_dir)
        result = subprocess.run([self.script, "start", self.dir, str(count), *args],
                                capture_output=True, text=True, timeout=120)
        if result.returncode == 3:
            message = f"{script} is not installed: {result.stderr.strip()} (scripts/setup installs it)"
            if os.environ.get("FAMIGO_REQUIRE_SERVICES") == "1":
                pytest.fail(message)
            pytest.skip(message + "; FAMIGO_REQUIRE_SERVICES=1 makes this fail")
        assert result.returncode == 0, result.stderr
        self.ports = [int(word) for word in result.stdout.split()]

    def kill(self, index=0):
        subprocess.run([self.script, "kill", self.dir, str(index)], check=True, timeout=60)

    def restart(self, index=0):
        subprocess.run([self.script, "restart", self.dir, str(index)], check=True, timeout=60)

    def stop(self):
        subprocess.run([self.script, "stop", self.dir], check=False, timeout=60)


@pytest.fixture(scope="module")
def mailpit(tmp_path_factory):
    """A Mailpit (SMTP and its HTTP API) for the module's tests."""
    server = EnvService("mailpit", tmp_path_factory.mktemp("mailpit"))
    yield server
    server.stop()


def mailpit_api(mailpit, path, raw=False, method="GET"):
    """Mailpit's API at /api/v1/PATH: the parsed JSON (or the text, raw)."""
    req = urllib.request.Request(f"http://127.0.0.1:{mailpit.ports[1]}/api/v1/{path}", method=method)
    with urllib.request.urlopen(req, timeout=10) as r:
        body = r.read()
    return body.decode() if raw or method != "GET" else json.loads(body)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One redis-server for the session (appendfsync always); tests flush it."""
    server = EnvService("redis", tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server):
    """A Redis broker URL on an emptied database."""
    import redis  # the redis package: installed by scripts/setup with celery
    client = redis.Redis(host="127.0.0.1", port=redis_server.ports[0], db=0)
    client.flushdb()
    client.close()
    return f"redis://127.0.0.1:{redis_server.ports[0]}/0"


@pytest.fixture(params=["sqlite", "redis"])
def broker(request, tmp_path):
    """A broker URL: a fresh SQLite file, then the session's redis-server, emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/tasks.db"
    return request.getfixturevalue("redis_url")


def run(*args, check=True, timeout=60, env=None):
    """Runs a famigo subcommand; asserts exit 0 unless check=False."""
    result = subprocess.run([str(FAMIGO), *args], capture_output=True, text=True, timeout=timeout,
                            cwd=ROOT, env=env)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


class Process:
    """A long-running famigo subcommand (worker, beat) logging to a file."""

    def __init__(self, log_path, args, ready, env=None):
        self.log_path = pathlib.Path(log_path)
        self.log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen([str(FAMIGO), *args], stdout=self.log_file,
                                     stderr=subprocess.STDOUT, cwd=ROOT, env=env)
        self.wait_for(ready)

    def log(self):
        return self.log_path.read_text(errors="replace")

    def wait_for(self, pattern, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            match = re.search(pattern, self.log())
            if match:
                return match
            if self.proc.poll() is not None:
                raise AssertionError(f"exited with {self.proc.returncode}: {self.log()}")
            time.sleep(0.02)
        raise AssertionError(f"no {pattern!r} within {timeout}s: {self.log()}")

    def stop(self, sig=signal.SIGTERM, timeout=30):
        code = Server.stop(self, sig, timeout)  # the same signal, wait, then kill
        self.log_file.close()
        return code


@pytest.fixture
def famigo_process(tmp_path):
    """famigo_process("worker", "--set", ...) starts a worker (or beat, with
    ready=...) and stops it after the test."""
    started = []

    def start(*args, ready=r"worker: \d+ thread", env=None):
        process = Process(tmp_path / f"{args[0]}-{len(started)}.log", args, ready, env)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop(signal.SIGKILL)


def send(url, name, *options):
    """`famigo tasks send`: returns the task id."""
    task_id = run("tasks", "send", name, "--set", f"tasks.url={url}", *options).stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", task_id), task_id
    return task_id


def show(url, task_id):
    """`famigo tasks show` as a dict: state, retries, error, result."""
    out = run("tasks", "show", task_id, "--set", f"tasks.url={url}", check=False).stdout
    info = {}
    match = re.search(r"state=(\w+)\s+retries=(\d+)", out)
    if match:
        info["state"], info["retries"] = match.group(1), int(match.group(2))
    match = re.search(r"error=(.*)$", out, re.MULTILINE)
    if match:
        info["error"] = match.group(1)
    match = re.search(r"^result: (\w+) (.*)$", out, re.MULTILINE)
    if match:
        info["result"] = (match.group(1), json.loads(match.group(2)))
    return info


def wait_until(predicate, timeout=15, interval=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
