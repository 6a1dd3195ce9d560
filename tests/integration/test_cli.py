"""The famigo command line: help, version, configuration errors, the Nagios check."""
import os
import pathlib
import subprocess

from conftest import FAMIGO


def famigo(*args, env=None):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("FAMIGO_SERVER__")}
    full_env.update(env or {})
    return subprocess.run([str(FAMIGO), *args], capture_output=True, text=True, env=full_env, timeout=30)


def test_every_command_has_help():
    overview = famigo("--help")
    assert overview.returncode == 0
    for command in ("serve", "check", "collectstatic", "config", "render", "version"):
        assert command in overview.stdout
        result = famigo(command, "--help")
        assert result.returncode == 0 and "usage: famigo " + command in result.stdout


def test_unknown_command_and_flag_are_usage_errors():
    assert famigo("frobnicate").returncode == 2
    result = famigo("version", "--bogus")
    assert result.returncode == 2 and "--bogus" in result.stderr


def test_version():
    result = famigo("version")
    assert result.returncode == 0 and result.stdout.startswith("famigo ")


def test_config_check_shows_values_and_origins(tmp_path):
    conf = tmp_path / "famigo.toml"
    conf.write_text('[server]\nlisten = "0.0.0.0:9000"\nworkers = 8\n')
    result = famigo("config", "check", "--config", str(conf), "--set", "server.workers=4",
                    env={"FAMIGO_SERVER__QUEUE_LIMIT": "77"})
    assert result.returncode == 0, result.stderr
    assert f"server.listen = 0.0.0.0:9000    # {conf}:2" in result.stdout
    assert "server.workers = 4    # flag --set server.workers" in result.stdout
    assert "server.queue_limit = 77    # env FAMIGO_SERVER__QUEUE_LIMIT" in result.stdout


def test_unknown_key_in_file_stops_start_up_naming_key_and_line(tmp_path):
    conf = tmp_path / "famigo.toml"
    conf.write_text('[server]\nlisten = "127.0.0.1:0"\nwrokers = 8\n')
    for command in (["config", "check"], ["serve"]):
        result = famigo(*command, "--config", str(conf))
        assert result.returncode == 1
        assert "'server.wrokers'" in result.stderr and f"{conf}:3" in result.stderr
        assert "unknown key" in result.stderr


def test_bad_values_name_their_origin():
    result = famigo("serve", "--listen", "nowhere")
    assert result.returncode == 1 and "flag --listen" in result.stderr
    result = famigo("config", "check", env={"FAMIGO_SERVER__WORKERS": "-3"})
    assert result.returncode == 1 and "env FAMIGO_SERVER__WORKERS" in result.stderr
    result = famigo("config", "check", "--set", "server.max_body_bytes=huge")
    assert result.returncode == 1 and "'huge'" in result.stderr


def test_config_keys_documents_every_key():
    result = famigo("config", "keys")
    assert result.returncode == 0
    for key in ("server.listen", "server.drain_grace", "http.allowed_hosts", "debug.test_routes"):
        assert key in result.stdout


def test_nagios_check_exit_codes(server):
    ok = famigo("check", "--url", server.url("/healthz"))
    assert ok.returncode == 0, ok.stdout
    assert ok.stdout.startswith("HTTP OK - status 200") and "| time=" in ok.stdout
    assert ok.stdout.rstrip().endswith(";1000.000;3000.000;0")

    slow = famigo("check", "--url", server.url("/_debug/sleep?ms=300"), "--warn-ms", "100", "--crit-ms", "2000")
    assert slow.returncode == 1 and slow.stdout.startswith("HTTP WARNING")
    slower = famigo("check", "--url", server.url("/_debug/sleep?ms=300"), "--warn-ms", "50", "--crit-ms", "100")
    assert slower.returncode == 2 and slower.stdout.startswith("HTTP CRITICAL")
    wrong = famigo("check", "--url", server.url("/missing"))
    assert wrong.returncode == 2 and "expected status 200" in wrong.stdout
    timeout = famigo("check", "--url", server.url("/_debug/sleep?ms=2000"), "--timeout-ms", "200")
    assert timeout.returncode == 2 and "timed out" in timeout.stdout

    server.stop()
    down = famigo("check", "--url", server.url("/healthz"))
    assert down.returncode == 2 and down.stdout.startswith("HTTP CRITICAL")
    assert famigo("check", "--url", "ftp://x/").returncode == 3
    assert famigo("check").returncode == 3
    assert famigo("check", "--url", server.url("/"), "--warn-ms", "abc").returncode == 3


def test_configuration_reference_lists_every_key():
    reference = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "configuration.md").read_text()
    keys = [line.split(" = ")[0] for line in famigo("config", "keys").stdout.splitlines()
            if line and not line.startswith(" ")]
    assert len(keys) > 20
    missing = [key for key in keys if f"`{key}`" not in reference]
    assert not missing, f"docs/configuration.md lacks {missing}"


def test_render_prints_a_template_with_its_context(tmp_path):
    (tmp_path / "base.html").write_text("<h1>{% block title %}Famigo{% endblock %}</h1>")
    (tmp_path / "app.html").write_text(
        '{% extends "base.html" %}{% block title %}{{ app.name|upper }} {{ app.note }}{% endblock %}')
    result = famigo("render", "app.html", "--dir", str(tmp_path),
                    "--context", '{"app": {"name": "Minecraft", "note": "<b>"}}')
    assert result.returncode == 0, result.stderr
    assert result.stdout == "<h1>MINECRAFT &lt;b&gt;</h1>"
    broken = tmp_path / "broken.html"
    broken.write_text("line one\n{% if %}")
    result = famigo("render", "broken.html", "--dir", str(tmp_path))
    assert result.returncode == 1 and "broken.html" in result.stderr and "line 2" in result.stderr
    assert famigo("render", "app.html", "--dir", str(tmp_path), "--context", "[1]").returncode == 2
