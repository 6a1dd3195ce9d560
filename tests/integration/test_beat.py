"""`famigo beat` and the periodic jobs: two schedulers on one broker (SQLite
and a real redis-server), only the lock holder enqueues and the other takes
over within the lease when it is killed; the backup job with its restore
drill, `famigo check backup` and its /metrics gauge; the session purge and
reindex jobs; the shipped jobs under beat; `famigo check queue`."""
import json
import re
import signal
import subprocess
import time

from cache_support import metric
from conftest import FAMIGO, ROOT
from tasks_support import (broker, famigo_process, redis_server, redis_url, run, send, show,  # noqa: F401
                           wait_until)


def beat_flags(broker):
    return ["--set", f"tasks.url={broker}", "--set", "beat.schedules=tick every 1s famigo.ping [1]",
            "--set", "beat.lease=2s", "--set", "beat.tick=100ms"]


def sent(process):
    return len(re.findall(r"beat: sent famigo.ping", process.log()))


def ready_count(broker):
    listing = run("tasks", "list", "--set", f"tasks.url={broker}").stdout
    match = re.search(r"^famigo\s+(\d+)\s+(\d+)", listing, re.MULTILINE)
    return int(match.group(1)) + int(match.group(2)) if match else 0


def test_one_scheduler_enqueues_and_another_takes_over_within_the_lease(broker, famigo_process):
    a = famigo_process("beat", *beat_flags(broker), ready=r"beat: .* schedules: tick")
    b = famigo_process("beat", *beat_flags(broker), ready=r"beat: .* schedules: tick")
    leader = wait_until(lambda: next((p for p in (a, b) if "is the active scheduler" in p.log()), None))
    assert leader
    standby = b if leader is a else a
    wait_until(lambda: sent(leader) >= 3, timeout=10)
    assert sent(standby) == 0 and "is the active scheduler" not in standby.log()
    assert ready_count(broker) == sent(leader)  # one task per slot, from one scheduler
    leader.stop(signal.SIGKILL)  # no clean unlock: the lease has to run out
    killed_at = time.time()
    standby.wait_for("is the active scheduler", timeout=10)
    took_over = time.time() - killed_at
    assert took_over <= 2.0 + 1.0, took_over  # the lease (2 s) plus a tick and slack
    wait_until(lambda: sent(standby) >= 2, timeout=10)
    before = ready_count(broker)
    time.sleep(1.5)
    assert ready_count(broker) > before


def test_sigterm_hands_the_lock_over_at_once(tmp_path, famigo_process):
    broker = f"sqlite:///{tmp_path}/tasks.db"
    flags = beat_flags(broker)
    flags[flags.index("beat.lease=2s")] = "beat.lease=30s"
    a = famigo_process("beat", *flags, ready=r"is the active scheduler")
    b = famigo_process("beat", *flags, ready=r"schedules: tick")
    assert a.stop(signal.SIGTERM) == 0
    b.wait_for("is the active scheduler", timeout=3)  # not after 30 s


def test_bad_schedules_stop_start_up_naming_the_key(tmp_path):
    for bad in ["x every 1s", "x hourly famigo.ping", "x cron 61 * * * * famigo.ping",
                "x every 1s famigo.ping [1"]:
        result = run("beat", "--set", f"tasks.url=sqlite:///{tmp_path}/t.db",
                     "--set", f"beat.schedules={bad}", check=False)
        assert result.returncode == 1, result.stderr
        assert "beat.schedules" in result.stderr, result.stderr


def db_insert(collection, store_flag, docs):
    """`famigo db insert` of JSON documents, one per line."""
    result = subprocess.run([str(FAMIGO), "db", "insert", collection, "--set", store_flag],
                            input="\n".join(json.dumps(d) for d in docs), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def store_flags(tmp_path, keep=2):
    return ["--set", f"tasks.url=sqlite:///{tmp_path}/tasks.db",
            "--set", f"store.url=sqlite:///{tmp_path}/famigo.db",
            "--set", f"backup.dir={tmp_path}/backups", "--set", f"backup.keep={keep}"]


def test_backup_job_drills_keeps_the_newest_and_the_check_reads_it(tmp_path, famigo_process):
    flags = store_flags(tmp_path)
    url = f"sqlite:///{tmp_path}/tasks.db"
    db_insert("apps", flags[3], [{"n": i, "name": f"Äpp {i}"} for i in range(250)])
    check = run("check", "backup", *flags, check=False)
    assert check.returncode == 2 and check.stdout.startswith("BACKUP CRITICAL - no backup"), check.stdout
    famigo_process("worker", *flags)
    for _ in range(3):
        task = send(url, "famigo.backup", *flags[2:])
        state, value = wait_until(lambda: show(url, task).get("result"), timeout=30)
        assert state == "SUCCESS", value
        assert value["counts"]["apps"] == 250
        time.sleep(0.01)
    assert value["removed"] == 1
    files = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert len([f for f in files if f.endswith(".db")]) == 2, files
    assert len([f for f in files if f.endswith(".drill.json")]) == 2, files
    assert not [f for f in files if f.endswith(("-wal", "-shm"))], files  # the backup never opened
    ok = run("check", "backup", *flags)
    assert re.match(r"BACKUP OK - famigo-\d{8}T\d{9}Z\.db \(250 documents\) verified \d+ s ago \| age=\d+s;93600;180000;0$",
                    ok.stdout.strip()), ok.stdout
    assert run("check", "backup", *flags, "--warn-age", "0s", check=False).returncode == 1
    assert run("check", "backup", *flags, "--crit-age", "0s", check=False).returncode == 2
    bad = run("check", "backup", *flags, "--warn-age", "soon", check=False)
    assert bad.returncode == 3 and bad.stdout.startswith("BACKUP UNKNOWN - --warn-age"), bad.stdout


def test_session_purge_job_deletes_only_expired_sessions(tmp_path, famigo_process):
    flags = store_flags(tmp_path) + ["--set", "session.engine=store"]
    url = f"sqlite:///{tmp_path}/tasks.db"
    now_ms = int(time.time() * 1000)
    db_insert("sessions", flags[3], [
        {"_id": "old1", "data": {}, "expires": now_ms - 1000},
        {"_id": "old2", "data": {}, "expires": now_ms - 10},
        {"_id": "live", "data": {"u": 1}, "expires": now_ms + 3600_000}])
    famigo_process("worker", *flags)
    task = send(url, "famigo.sessions.purge")
    assert wait_until(lambda: show(url, task).get("result")) == ("SUCCESS", 2)
    assert run("db", "count", "sessions", *flags[2:4]).stdout.strip() == "1"


def test_queue_check_exit_codes(tmp_path):
    url = f"sqlite:///{tmp_path}/tasks.db"
    flags = ["--set", f"tasks.url={url}"]
    for _ in range(3):
        send(url, "famigo.ping", "--args", "[1]")
    ok = run("check", "queue", *flags)
    assert re.match(r"TASKS OK - famigo 3 ready \(oldest \d+\.\d s, 0 dead\) \| 'famigo_ready'=3;100;1000;0 ",
                    ok.stdout), ok.stdout
    assert run("check", "queue", *flags, "--warn-depth", "3", check=False).returncode == 1
    assert run("check", "queue", *flags, "--warn-depth", "2", "--crit-depth", "3", check=False).returncode == 2
    assert run("check", "queue", *flags, "--warn-age", "0s", check=False).returncode == 1
    assert run("check", "queue", *flags, "--crit-age", "0s", check=False).returncode == 2
    other = run("check", "queue", *flags, "--queue", "other", "--crit-depth", "1")
    assert other.stdout.startswith("TASKS OK - other 0 ready"), other.stdout
    down = run("check", "queue", "--set", "tasks.url=redis://127.0.0.1:9/0", check=False)
    assert down.returncode == 2 and down.stdout.startswith("TASKS CRITICAL - broker:"), down.stdout
    bad = run("check", "queue", *flags, "--crit-depth", "many", check=False)
    assert bad.returncode == 3 and "--crit-depth" in bad.stdout, bad.stdout


def test_the_periodic_jobs_run_under_beat(tmp_path, famigo_process):
    # The shipped jobs on short schedules: beat enqueues, a worker runs them.
    flags = store_flags(tmp_path) + ["--set", "session.engine=store"]
    now_ms = int(time.time() * 1000)
    db_insert("sessions", flags[3], [{"_id": "old", "data": {}, "expires": now_ms - 1000}])
    famigo_process("worker", *flags)
    beat = famigo_process("beat", *flags, "--set",
                          "beat.schedules=backup every 1s famigo.backup,purge every 1s famigo.sessions.purge",
                          "--set", "beat.tick=100ms", ready=r"is the active scheduler")
    beat.wait_for(r"beat: sent famigo.backup", timeout=10)
    beat.wait_for(r"beat: sent famigo.sessions.purge", timeout=10)
    assert wait_until(lambda: list((tmp_path / "backups").glob("*.drill.json")), timeout=20)
    assert wait_until(lambda: run("db", "count", "sessions", *flags[2:4]).stdout.strip() == "0")
    assert run("check", "backup", *flags).returncode == 0


def test_reindex_job_builds_the_search_index_of_the_catalog(tmp_path, famigo_process):
    sample = tmp_path / "AppleStore.csv"
    lines = (ROOT / "data" / "AppleStore.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    sample.write_text("".join(lines[:41]), encoding="utf-8")  # the header and 40 apps
    flags = store_flags(tmp_path) + ["--set", f"search.url=xapian:///{tmp_path}/search"]
    run("import", "--quiet", str(sample), *flags[2:4])
    famigo_process("worker", *flags)
    url = f"sqlite:///{tmp_path}/tasks.db"
    task = send(url, "famigo.search.reindex")
    state, report = wait_until(lambda: show(url, task).get("result"), timeout=30)
    assert state == "SUCCESS", report
    assert report["apps"] > 30 and report["indexed"] == report["apps"] == report["documents"], report


def test_metrics_show_when_the_last_backup_passed_its_drill(famigo_server, tmp_path):
    url = f"sqlite:///{tmp_path}/tasks.db"
    server = famigo_server(tasks__url=url, tasks__workers=1, backup__dir=str(tmp_path / "backups"))
    assert metric(server, "famigo_backup_last_verified_timestamp_seconds") == 0
    before = time.time()
    task = send(url, "famigo.backup")
    assert wait_until(lambda: show(url, task).get("result"), timeout=30)[0] == "SUCCESS"
    stamp = metric(server, "famigo_backup_last_verified_timestamp_seconds")
    assert before - 1 <= stamp <= time.time() + 1, (before, stamp)


def test_serve_can_run_the_scheduler_itself(famigo_server, tmp_path):
    url = f"sqlite:///{tmp_path}/tasks.db"
    settings = {"tasks.url": url, "tasks.workers": 0, "beat.in_serve": True,
                "beat.schedules": "tick every 1s famigo.ping [1]", "beat.tick": "100ms",
                "beat.lease": "2s", "server.drain_grace": "0"}
    first = famigo_server(settings)
    second = famigo_server(settings)  # a second server contends for the same lock
    assert wait_until(lambda: ready_count(url) >= 2, timeout=10)
    logs = [s.log_path.read_text() for s in (first, second)]
    assert sum("is the active scheduler" in log for log in logs) == 1, logs
    holder = first if "is the active scheduler" in logs[0] else second
    other = second if holder is first else first
    assert holder.stop(signal.SIGTERM) == 0  # frees the lock on the way out
    assert wait_until(lambda: "is the active scheduler" in other.log_path.read_text(), timeout=5)
    before = ready_count(url)
    assert wait_until(lambda: ready_count(url) > before, timeout=5)
    # Without beat.in_serve (the default) a server schedules nothing.
    quiet = famigo_server({"tasks.url": f"sqlite:///{tmp_path}/other.db", "tasks.workers": 0})
    time.sleep(0.5)
    assert "beat:" not in quiet.log_path.read_text()
