"""A Celery 5 app sharing famigo's Redis broker, for the interop tests and
bench/tasks: `celery -A celery_app worker` runs its tasks; the tests use it as
a Python producer too (send_task, AsyncResult). The broker and result backend
are the Redis URL in FAMIGO_CELERY_REDIS (redis://127.0.0.1:PORT/DB)."""
import json
import os
import time

from celery import Celery

REDIS_URL = os.environ.get("FAMIGO_CELERY_REDIS", "redis://127.0.0.1:6379/0")

app = Celery("famigo_interop", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_default_queue="famigo",
    task_protocol=2,
    enable_utc=True,
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
    result_expires=3600,
)

# Where interop.record writes what the Celery worker saw of each message.
SEEN_KEY = "interop.seen"


@app.task(name="interop.record", bind=True)
def record(self, *args, **kwargs):
    """Keeps what Celery made of a message famigo sent: name, args, kwargs,
    ETA and retries, in the list interop.seen; returns args and kwargs."""
    request = self.request
    seen = {
        "id": request.id,
        "name": self.name,
        "args": list(args),
        "kwargs": kwargs,
        "eta": request.eta,
        "retries": request.retries,
        "queue": (request.delivery_info or {}).get("routing_key"),
    }
    with app.pool.acquire(block=True) as conn:
        conn.default_channel.client.rpush(SEEN_KEY, json.dumps(seen))
    return {"args": list(args), "kwargs": kwargs}


@app.task(name="interop.flaky", bind=True, max_retries=5)
def flaky(self, fail_times):
    """Fails its first `fail_times` runs, retried by Celery after 0.2 s;
    returns the retry count it succeeded on."""
    if self.request.retries < fail_times:
        raise self.retry(countdown=0.2, exc=RuntimeError(f"failure {self.request.retries + 1}"))
    return self.request.retries


@app.task(name="bench.noop", ignore_result=True)
def noop():
    """bench/tasks: the no-op task (famigo's bench registers one of the same name)."""
    return None


@app.task(name="bench.last", ignore_result=True)
def last():
    """bench/tasks: sent after the no-ops; a solo worker runs tasks in order,
    so its start time is when the no-ops before it were done."""
    with app.pool.acquire(block=True) as conn:
        conn.default_channel.client.set("bench.last", repr(time.time()))


@app.task(name="bench.stamp", ignore_result=True)
def stamp(sent):
    """bench/tasks: records enqueue-to-start in microseconds (sent: time.time())."""
    started = time.time()
    with app.pool.acquire(block=True) as conn:
        conn.default_channel.client.rpush("bench.latency", repr((started - sent) * 1e6))
