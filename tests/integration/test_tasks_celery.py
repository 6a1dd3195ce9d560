"""Celery interop on the Redis broker, both directions, against a real
Celery 5 worker and producer from PyPI (scripts/setup installs celery, redis
and packaging): tasks famigo enqueues run on a Celery worker with their name,
args, kwargs, ETA and retries, their results readable by famigo and by
AsyncResult; tasks Python sends with app.send_task run on famigo's worker
and AsyncResult(id).get() returns their result."""
import json
import os
import pathlib
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest

from conftest import ROOT
from tasks_support import famigo_process, redis_server, redis_url, run, send, show, wait_until  # noqa: F401

HERE = pathlib.Path(__file__).resolve().parent


def celery_app(url):
    """The Celery app of celery_app.py bound to this test's Redis database."""
    os.environ["FAMIGO_CELERY_REDIS"] = url
    sys.path.insert(0, str(HERE))
    import celery_app as module
    module.app.conf.broker_url = url
    module.app.conf.result_backend = url
    return module


@pytest.fixture
def celery_worker(redis_url, tmp_path):
    """A Celery 5 worker process (solo pool) consuming queue famigo."""
    log_path = tmp_path / "celery.log"
    log = open(log_path, "wb")
    env = dict(os.environ, FAMIGO_CELERY_REDIS=redis_url, C_FORCE_ROOT="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "celery_app", "worker", "-Q", "famigo", "-P", "solo",
         "--without-mingle", "--without-gossip", "--without-heartbeat", "-l", "info"],
        cwd=HERE, env=env, stdout=log, stderr=subprocess.STDOUT)
    ready = wait_until(lambda: b"ready." in log_path.read_bytes() or proc.poll() is not None,
                       timeout=60)
    if proc.poll() is not None or not ready:
        proc.kill()
        pytest.fail("the Celery worker did not start: " + log_path.read_text(errors="replace"))
    yield proc, log_path
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def seen_by_celery(module, task_id):
    """What interop.record saw of a task (the list interop.seen)."""
    import redis
    client = redis.Redis.from_url(module.app.conf.broker_url)
    for raw in client.lrange(module.SEEN_KEY, 0, -1):
        entry = json.loads(raw)
        if entry["id"] == task_id:
            return entry
    return None


def test_celery_worker_runs_what_famigo_enqueues(redis_url, celery_worker):
    module = celery_app(redis_url)
    task_id = send(redis_url, "interop.record", "--args", '[1, "two", [3.5]]',
                   "--kwargs", '{"k": {"x": null}, "ü": "ñ"}')
    expected = {"args": [1, "two", [3.5]], "kwargs": {"k": {"x": None}, "ü": "ñ"}}
    # The result in Celery's result backend, read by famigo and by AsyncResult.
    assert wait_until(lambda: show(redis_url, task_id).get("result"), timeout=20) == ("SUCCESS", expected)
    assert module.app.AsyncResult(task_id).get(timeout=10) == expected
    seen = seen_by_celery(module, task_id)
    assert seen["name"] == "interop.record" and seen["retries"] == 0 and seen["queue"] == "famigo"
    assert seen["args"] == expected["args"] and seen["kwargs"] == expected["kwargs"]
    assert seen["eta"] is None


def test_celery_worker_keeps_famigos_countdown(redis_url, celery_worker):
    module = celery_app(redis_url)
    sent = datetime.now(timezone.utc)
    task_id = send(redis_url, "interop.record", "--args", "[7]", "--countdown", "2",
                   "--set", "tasks.celery_queues=famigo")
    time.sleep(1.0)
    assert module.app.AsyncResult(task_id).state == "PENDING"  # held until its ETA
    assert module.app.AsyncResult(task_id).get(timeout=15) == {"args": [7], "kwargs": {}}
    seen = seen_by_celery(module, task_id)
    eta = datetime.fromisoformat(seen["eta"])
    assert 1.5 < (eta - sent).total_seconds() < 3.0, seen["eta"]
    assert datetime.now(timezone.utc) >= eta


def test_celery_retries_a_task_famigo_enqueued(redis_url, celery_worker):
    module = celery_app(redis_url)
    task_id = send(redis_url, "interop.flaky", "--args", "[2]")
    # Celery's retries of famigo's message keep its id: the result is the
    # retry count the task succeeded on.
    assert module.app.AsyncResult(task_id).get(timeout=20) == 2
    assert show(redis_url, task_id)["result"] == ("SUCCESS", 2)


def test_famigo_worker_runs_what_python_sends(redis_url, famigo_process):
    module = celery_app(redis_url)
    famigo_process("worker", "--concurrency", "2", "--set", f"tasks.url={redis_url}")
    app = module.app
    add = app.send_task("famigo.add", args=[2, 3], queue="famigo")
    assert add.get(timeout=10) == 5
    ping = app.send_task("famigo.ping", kwargs={"value": {"é": [1, None, 2.5]}}, queue="famigo")
    assert ping.get(timeout=10) == {"é": [1, None, 2.5]}
    started = time.time()
    later = app.send_task("famigo.add", args=[20, 22], queue="famigo", countdown=1.5)
    assert later.get(timeout=10) == 42
    assert time.time() - started >= 1.4  # not before its ETA
    bad = app.send_task("famigo.add", args=["a", 1], queue="famigo")
    with pytest.raises(Exception, match="famigo.add takes two numbers"):
        bad.get(timeout=10)
    assert bad.state == "FAILURE"
    dead = run("tasks", "dead", "--set", f"tasks.url={redis_url}").stdout
    assert bad.id in dead
