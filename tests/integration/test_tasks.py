"""The task queue wired into the binary: `famigo tasks`, `famigo worker`, the
in-process pool of `famigo serve`, /metrics and /readyz; on SQLite and on a
real redis-server (tests/env/redis)."""
import re
import signal
import time

from cache_support import metric
from tasks_support import (broker, famigo_process, redis_server, redis_url, run, send, show,  # noqa: F401
                           wait_until)


def test_send_then_a_worker_runs_it_and_keeps_the_result(broker, famigo_process):
    add = send(broker, "famigo.add", "--args", "[2, 3]")
    ping = send(broker, "famigo.ping", "--kwargs", '{"value": {"héllo": [1, null]}}')
    listing = run("tasks", "list", "--set", f"tasks.url={broker}").stdout
    assert re.search(r"^famigo\s+2\s+0\s+0\s+0\s", listing, re.MULTILINE), listing
    assert show(broker, add)["state"] == "ready"
    famigo_process("worker", "--concurrency", "2", "--set", f"tasks.url={broker}")
    assert wait_until(lambda: show(broker, add).get("result")) == ("SUCCESS", 5)
    assert wait_until(lambda: show(broker, ping).get("result")) == ("SUCCESS", {"héllo": [1, None]})


def test_countdown_and_queues(broker, famigo_process):
    later = send(broker, "famigo.add", "--args", "[1, 1]", "--countdown", "2")
    other = send(broker, "famigo.add", "--args", "[1, 2]", "--queue", "other")
    famigo_process("worker", "--queues", "famigo", "--set", f"tasks.url={broker}")
    started = time.time()
    assert wait_until(lambda: show(broker, later).get("result"), timeout=10) == ("SUCCESS", 2)
    assert time.time() - started > 1.0  # not before its countdown
    assert show(broker, other)["state"] == "ready"  # nobody takes queue "other"
    listing = run("tasks", "list", "other", "--set", f"tasks.url={broker}").stdout
    assert other in listing and "famigo.add" in listing


def test_dead_letters_retry_and_purge(broker, famigo_process):
    unknown = send(broker, "no.such.task")
    bad = send(broker, "famigo.add", "--args", '["a", 1]')
    worker = famigo_process("worker", "--set", f"tasks.url={broker}")
    assert wait_until(lambda: show(broker, unknown).get("state") == "dead")
    assert wait_until(lambda: show(broker, bad).get("state") == "dead")
    dead = run("tasks", "dead", "--set", f"tasks.url={broker}").stdout
    assert unknown in dead and "no task named no.such.task" in dead
    assert bad in dead and "famigo.add takes two numbers" in dead
    listing = run("tasks", "list", "--set", f"tasks.url={broker}").stdout
    assert re.search(r"^famigo\s+0\s+0\s+0\s+2\s", listing, re.MULTILINE), listing
    worker.stop()
    assert run("tasks", "retry", unknown, "--set", f"tasks.url={broker}").stdout == f"retrying {unknown}\n"
    assert show(broker, unknown)["state"] == "ready"
    again = run("tasks", "retry", unknown, "--set", f"tasks.url={broker}", check=False)
    assert again.returncode == 1 and "not a dead task" in again.stderr
    send(broker, "famigo.ping", "--args", "[1]")
    purged = run("tasks", "purge", "famigo", "--set", f"tasks.url={broker}").stdout
    assert purged == "purged 2 waiting task(s) of famigo\n"
    assert unknown not in run("tasks", "list", "famigo", "--set", f"tasks.url={broker}").stdout


def test_worker_sigterm_lets_short_tasks_finish_and_hands_back_long_ones(tmp_path, famigo_process):
    url = f"sqlite:///{tmp_path}/tasks.db"
    short = send(url, "famigo.sleep", "--args", "[0.6]")
    worker = famigo_process("worker", "--concurrency", "1", "--set", f"tasks.url={url}",
                            "--set", "tasks.shutdown_grace=5s")
    assert wait_until(lambda: show(url, short).get("state") == "running")
    assert worker.stop() == 0
    assert show(url, short)["result"] == ("SUCCESS", 0.6)  # finished within the grace

    long = send(url, "famigo.sleep", "--args", "[30]")
    worker = famigo_process("worker", "--concurrency", "1", "--set", f"tasks.url={url}",
                            "--set", "tasks.shutdown_grace=300ms")
    assert wait_until(lambda: show(url, long).get("state") == "running")
    started = time.time()
    assert worker.stop() == 0
    assert time.time() - started < 5
    assert "handed back famigo.sleep " + long in worker.log()
    assert show(url, long)["state"] == "ready"  # at once, not after its lease


def test_serve_runs_tasks_in_process_unless_told_not_to(famigo_server, tmp_path):
    url = f"sqlite:///{tmp_path}/served.db"
    server = famigo_server(tasks__url=url)
    task = send(url, "famigo.add", "--args", "[20, 22]")
    assert wait_until(lambda: show(url, task).get("result")) == ("SUCCESS", 42)
    assert metric(server, "famigo_tasks_runs_total", 'outcome="succeeded"') == 1
    server.stop()

    idle_url = f"sqlite:///{tmp_path}/idle.db"
    server = famigo_server(tasks__url=idle_url, tasks__workers=0)
    task = send(idle_url, "famigo.add", "--args", "[1, 1]")
    time.sleep(0.5)
    assert show(idle_url, task)["state"] == "ready"
    assert "famigo_tasks_runs_total" not in server.get("/metrics")[2].decode()


def test_metrics_and_readiness_report_the_broker(famigo_server, tmp_path, redis_server):
    url = f"sqlite:///{tmp_path}/tasks.db"
    server = famigo_server(tasks__url=url, tasks__workers=1)
    dead = send(url, "no.such.task")
    assert wait_until(lambda: show(url, dead).get("state") == "dead")
    send(url, "famigo.ping", "--args", "[1]", "--queue", "backlog")
    send(url, "famigo.ping", "--args", "[2]", "--queue", "backlog", "--countdown", "600")
    time.sleep(0.2)
    assert metric(server, "famigo_tasks_broker_up") == 1
    assert metric(server, "famigo_tasks_queue_ready", 'queue="backlog"') == 1
    assert metric(server, "famigo_tasks_queue_scheduled", 'queue="backlog"') == 1
    assert metric(server, "famigo_tasks_queue_oldest_age_seconds", 'queue="backlog"') >= 0.2
    assert metric(server, "famigo_tasks_queue_dead", 'queue="famigo"') == 1
    assert metric(server, "famigo_tasks_dead_lettered_total") == 1
    assert metric(server, "famigo_tasks_run_seconds_count") == 1
    assert server.get("/readyz")[0] == 200

    # A Redis broker that stops answering: /readyz says so, /metrics shows it down.
    port = redis_server.ports[0]
    server = famigo_server(tasks__url=f"redis://127.0.0.1:{port}/3", tasks__workers=1)
    assert server.get("/readyz")[0] == 200
    redis_server.kill()
    try:
        status, _, body = server.get("/readyz")
        assert status == 503 and b"broker" in body, body
        assert metric(server, "famigo_tasks_broker_up") == 0
    finally:
        redis_server.restart()
    assert wait_until(lambda: server.get("/readyz")[0] == 200)


def test_bad_input_is_a_usage_error_naming_the_flag(tmp_path):
    url = f"sqlite:///{tmp_path}/tasks.db"
    cases = [
        (["send", "famigo.add", "--args", "{"], "--args takes a JSON array"),
        (["send", "famigo.add", "--kwargs", "[1]"], "--kwargs takes a JSON object"),
        (["send", "famigo.add", "--countdown", "-1"], "--countdown takes an integer"),
        (["send", "bad name"], "task name"),
        (["send", "famigo.add", "--queue", "a b"], "--queues"),
        (["frobnicate"], "expected `famigo tasks list"),
        (["show"], "usage: famigo tasks show ID"),
    ]
    for args, message in cases:
        result = run("tasks", *args, "--set", f"tasks.url={url}", check=False)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)
    worker = run("worker", "--concurrency", "0", "--set", f"tasks.url={url}", check=False)
    assert worker.returncode == 2 and "--concurrency takes an integer" in worker.stderr
    config = run("tasks", "list", "--set", "tasks.url=ftp://x", check=False)
    assert config.returncode == 1 and "tasks.url" in config.stderr and "flag --set" in config.stderr
