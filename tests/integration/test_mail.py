"""Email through the queue to a real SMTP server: `famigo mail test` renders
the templates and enqueues famigo.mail.send, `famigo worker` sends it with
libcurl to Mailpit (tests/env/mailpit), and Mailpit's API shows what arrived:
headers, both parts, non-ASCII subject, names and bodies. Bad input is refused
before it is queued or dead-lettered at once; an unreachable server is retried."""
import json
import subprocess
import urllib.request

import pytest

from tasks_support import EnvService, famigo_process, mailpit, run, send, show, wait_until  # noqa: F401
from tasks_support import mailpit_api as api

SUBJECT_NOTE = "Grüße, Zoë — 🎮 ünïcode"


class MailSetup(list):
    """The --set flags of a test's processes, its broker URL and its Mailpit."""


@pytest.fixture
def mail_settings(mailpit, tmp_path):
    req = urllib.request.Request(f"http://127.0.0.1:{mailpit.ports[1]}/api/v1/messages", method="DELETE")
    urllib.request.urlopen(req, timeout=10).read()
    setup = MailSetup(["--set", f"tasks.url=sqlite:///{tmp_path}/tasks.db",
            "--set", f"store.url=sqlite:///{tmp_path}/famigo.db",
            "--set", f"mail.url=smtp://127.0.0.1:{mailpit.ports[0]}",
            "--set", "mail.starttls=never",
            "--set", "mail.from=Famigo Bücher <noreply@famigo.test>",
            "--set", "tasks.retry_base=200ms"])
    setup.url = f"sqlite:///{tmp_path}/tasks.db"
    setup.mailpit = mailpit
    return setup


def test_a_rendered_multipart_mail_arrives_with_its_headers(mail_settings, famigo_process):
    task_id = run("mail", "test", "Zoë Tester <zoe@example.com>", "--note", SUBJECT_NOTE,
                  *mail_settings).stdout.strip()
    famigo_process("worker", *mail_settings)
    listing = wait_until(lambda: api(mail_settings.mailpit, "messages")["messages"], timeout=20)
    assert len(listing) == 1
    summary = listing[0]
    assert summary["Subject"] == f"Famigo test mail: {SUBJECT_NOTE}"
    assert summary["From"] == {"Name": "Famigo Bücher", "Address": "noreply@famigo.test"}
    assert summary["To"] == [{"Name": "Zoë Tester", "Address": "zoe@example.com"}]
    message = api(mail_settings.mailpit, f"message/{summary['ID']}")
    assert "Hello Zoë Tester," in message["Text"]
    assert SUBJECT_NOTE in message["Text"]
    assert "<strong>Famigo</strong>" in message["HTML"]
    assert "Grüße, Zoë — 🎮 ünïcode" in message["HTML"]
    headers = api(mail_settings.mailpit, f"message/{summary['ID']}/headers")
    assert headers["Mime-Version"] == ["1.0"]
    assert headers["Date"][0].endswith("+0000")
    assert headers["Content-Type"][0].startswith("multipart/alternative; boundary=")
    raw = api(mail_settings.mailpit, f"message/{summary['ID']}/raw", raw=True)
    assert "Subject: =?UTF-8?B?" in raw  # RFC 2047, not raw UTF-8
    assert "Content-Type: text/plain; charset=UTF-8" in raw
    assert "Content-Type: text/html; charset=UTF-8" in raw
    # The task's result is the Message-ID the mail carries, fixed at enqueue
    # (its left part is in the task's kwargs), so a resend would carry it too.
    result = wait_until(lambda: show(mail_settings.url, task_id).get("result"))
    assert result[0] == "SUCCESS"
    assert result[1] == "<" + message["MessageID"] + ">"
    shown = run("tasks", "show", task_id, "--set", f"tasks.url={mail_settings.url}").stdout
    kwargs = json.loads(shown.split("kwargs: ", 1)[1].splitlines()[0])
    assert message["MessageID"] == kwargs["id"] + "@famigo.test"


def test_header_injection_is_refused_and_never_sent(mail_settings, famigo_process):
    bad = run("mail", "test", "zoe@example.com\r\nBcc: victim@example.com", *mail_settings, check=False)
    assert bad.returncode == 2 and "line break" in bad.stderr, bad.stderr
    url = mail_settings.url
    injected = send(url, "famigo.mail.send", "--kwargs", json.dumps(
        {"to": ["zoe@example.com"], "subject": "hi\r\nBcc: victim@example.com", "text": "x"}))
    good = send(url, "famigo.mail.send", "--kwargs", json.dumps(
        {"to": "ok@example.com", "subject": "fine", "text": "plain only"}))
    famigo_process("worker", *mail_settings)
    assert wait_until(lambda: show(url, good).get("result"), timeout=20)[0] == "SUCCESS"
    info = wait_until(lambda: show(url, injected).get("state") == "dead" and show(url, injected))
    assert info["retries"] == 0 and "subject" in info["error"], info  # dead at once, no retry
    messages = api(mail_settings.mailpit, "messages")["messages"]
    assert [m["Subject"] for m in messages] == ["fine"]
    assert all(a["Address"] != "victim@example.com" for m in messages for a in (m["To"] or []) + (m["Bcc"] or []))


@pytest.fixture(scope="module")
def tls_mailpit(tmp_path_factory):
    """A Mailpit that requires STARTTLS (a self-signed certificate for
    127.0.0.1) and SMTP AUTH (user famigo, password s3cret)."""
    d = tmp_path_factory.mktemp("mailpit-tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem"),
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    digest = subprocess.run(["openssl", "passwd", "-apr1", "s3cret"], check=True,
                            capture_output=True, text=True, timeout=30).stdout.strip()
    (d / "auth").write_text(f"famigo:{digest}\n")
    server = EnvService("mailpit", d / "state", 1, args=(
        "--smtp-tls-cert", str(d / "cert.pem"), "--smtp-tls-key", str(d / "key.pem"),
        "--smtp-require-starttls", "--smtp-auth-file", str(d / "auth")))
    server.ca = str(d / "cert.pem")
    yield server
    server.stop()


def test_starttls_and_auth(tls_mailpit, tmp_path, famigo_process):
    url = f"sqlite:///{tmp_path}/tasks.db"
    base = ["--set", f"tasks.url={url}", "--set", f"store.url=sqlite:///{tmp_path}/famigo.db",
            "--set", f"mail.url=smtp://127.0.0.1:{tls_mailpit.ports[0]}",
            "--set", "mail.from=noreply@famigo.test", "--set", "tasks.retry_base=100ms",
            "--set", "tasks.retry_max=200ms"]
    mail = {"to": "zoe@example.com", "subject": "over TLS", "text": "secret"}
    cases = {  # what a worker with these settings makes of one mail
        "no-tls": ["--set", "mail.starttls=never", "--set", "mail.username=famigo",
                   "--set", "mail.password=s3cret"],
        "untrusted": ["--set", "mail.starttls=always", "--set", "mail.username=famigo",
                      "--set", "mail.password=s3cret"],
        "bad-password": ["--set", "mail.starttls=always", "--set", f"mail.ca_file={tls_mailpit.ca}",
                         "--set", "mail.username=famigo", "--set", "mail.password=wrong"],
    }
    for name, flags in cases.items():
        queue = f"q-{name}"
        task = send(url, "famigo.mail.send", "--queue", queue, "--kwargs", json.dumps(mail))
        worker = famigo_process("worker", "--queues", queue, *base, *flags)
        info = wait_until(lambda: show(url, task).get("retries", 0) >= 1 and show(url, task))
        expected = {"no-tls": "530", "untrusted": "certificate", "bad-password": "535"}[name]
        assert info and expected in info["error"], (name, info)  # 530: STARTTLS first; 535: auth
        worker.stop()
    assert not api(tls_mailpit, "messages")["messages"]
    task = send(url, "famigo.mail.send", "--kwargs", json.dumps(mail))
    famigo_process("worker", *base, "--set", "mail.starttls=always",
                   "--set", f"mail.ca_file={tls_mailpit.ca}",
                   "--set", "mail.username=famigo", "--set", "mail.password=s3cret")
    assert wait_until(lambda: show(url, task).get("result"), timeout=20)[0] == "SUCCESS"
    assert [m["Subject"] for m in api(tls_mailpit, "messages")["messages"]] == ["over TLS"]


def test_an_unreachable_server_is_retried(mail_settings, famigo_process, tmp_path):
    settings = [s if not s.startswith("mail.url=") else "mail.url=smtp://127.0.0.1:9" for s in mail_settings]
    url = mail_settings.url
    task_id = send(url, "famigo.mail.send", "--kwargs", json.dumps(
        {"to": "zoe@example.com", "subject": "later", "text": "x"}))
    famigo_process("worker", *settings)
    info = wait_until(lambda: show(url, task_id).get("retries", 0) >= 2 and show(url, task_id), timeout=20)
    assert info["state"] in ("ready", "scheduled", "running"), info
    assert "smtp" in info["error"], info

