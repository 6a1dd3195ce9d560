"""The web security layer through the real binary: CSRF on the test form,
security headers (HSTS only over https from a trusted proxy), the https
redirect, escaping of re-rendered forms, flash messages, and
`famigo config check --deploy`."""
import http.client
import re
import subprocess
import urllib.parse

import pytest

from conftest import FAMIGO

SECRET = "integration-test-secret-key-" + "x1y2z3" * 5


class Client:
    """A tiny browser: keeps cookies, does not follow redirects."""

    def __init__(self, server, headers=None):
        self.server = server
        self.cookies = {}
        self.headers = headers or {}

    def request(self, method, path, body=None, headers=None, content_type=None):
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        all_headers = dict(self.headers)
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            if isinstance(body, dict):
                body = urllib.parse.urlencode(body)
                content_type = content_type or "application/x-www-form-urlencoded"
            all_headers["Content-Type"] = content_type
        all_headers.update(headers or {})
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            cookie_value = rest.split(";")[0]
            if "Max-Age=0" in value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = cookie_value
        conn.close()
        return response.status, response.headers, data

    def form_token(self):
        status, _, page = self.request("GET", "/_debug/form")
        assert status == 200
        match = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page)
        assert match, page
        return match.group(1)


VALID = {"name": "Ann", "email": "ann@example.com", "platform": "ios"}


@pytest.fixture
def site(famigo_server):
    return famigo_server(debug__test_routes=True, server__drain_grace="0",
                         security__secret_key=SECRET)


def test_post_without_token_is_refused_and_with_token_accepted(site):
    browser = Client(site)
    status, headers, page = browser.request("POST", "/_debug/form", VALID)
    assert status == 403 and "CSRF verification failed" in page and "CSRF cookie not set." in page
    assert headers["X-Frame-Options"] == "DENY"  # refusals carry the security headers

    token = browser.form_token()
    assert "csrftoken" in browser.cookies
    status, _, page = browser.request("POST", "/_debug/form", VALID)
    assert status == 403 and "CSRF token missing." in page
    status, _, page = browser.request("POST", "/_debug/form", dict(VALID, csrfmiddlewaretoken="x" * 64))
    assert status == 403 and "CSRF token incorrect." in page

    status, headers, _ = browser.request("POST", "/_debug/form", dict(VALID, csrfmiddlewaretoken=token))
    assert status == 303 and headers["Location"] == "/_debug/form"
    # The raw cookie secret in the X-CSRFToken header works too (what scripts send).
    status, _, _ = browser.request("POST", "/_debug/form", VALID,
                                   headers={"X-CSRFToken": browser.cookies["csrftoken"]})
    assert status == 303

    # Another client's token does not fit this client's cookie.
    other = Client(site)
    other.form_token()
    status, _, _ = other.request("POST", "/_debug/form", dict(VALID, csrfmiddlewaretoken=token))
    assert status == 403


def test_masked_tokens_differ_on_every_page(site):
    browser = Client(site)
    tokens = {browser.form_token() for _ in range(3)}
    assert len(tokens) == 3
    for token in tokens:
        status, _, _ = browser.request("POST", "/_debug/form", dict(VALID, csrfmiddlewaretoken=token))
        assert status == 303


def test_cross_origin_post_is_refused(site):
    browser = Client(site)
    token = browser.form_token()
    status, _, page = browser.request("POST", "/_debug/form", dict(VALID, csrfmiddlewaretoken=token),
                                      headers={"Origin": "http://evil.example"})
    assert status == 403 and "Origin checking failed - http://evil.example does not match" in page


def test_multipart_form_is_checked_and_parsed(site):
    browser = Client(site)
    token = browser.form_token()
    boundary = "----famigoBoundary7MA4YWxk"
    parts = dict(VALID, csrfmiddlewaretoken=token, name="Multi")
    body = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                   for k, v in parts.items()) + f"--{boundary}--\r\n"
    status, _, _ = browser.request("POST", "/_debug/form", body,
                                   content_type=f"multipart/form-data; boundary={boundary}")
    assert status == 303
    status, _, _ = browser.request("POST", "/_debug/form", "--nope\r\n",
                                   content_type=f"multipart/form-data; boundary={boundary}")
    assert status == 400


XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
]


def test_xss_payloads_come_back_escaped(site):
    browser = Client(site)
    token = browser.form_token()
    fields = ["name", "email", "age", "platform", "website", "handle", "password", "newsletter", "next"]
    for payload in XSS:
        form = {field: payload for field in fields}
        form["csrfmiddlewaretoken"] = token
        status, _, page = browser.request("POST", "/_debug/form", form)
        assert status == 200, page  # invalid, so re-rendered
        assert "<script>" not in page and "<img" not in page and "<svg" not in page
        assert "onerror=alert(1)>" not in page
        if payload.startswith("<script>"):
            assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page
            # Django's message, with the value escaped inside it.
            assert "Select a valid choice. &lt;script&gt;alert(1)&lt;/script&gt; is not one" in page
        assert "Enter a valid email address." in page
        # The password is never sent back.
        assert re.search(r'name="password" id="id_password" value=""', page)


def test_success_message_shown_once_and_escaped(site):
    browser = Client(site)
    token = browser.form_token()
    status, _, _ = browser.request("POST", "/_debug/form",
                                   dict(VALID, name="<b>Ann</b>", csrfmiddlewaretoken=token))
    assert status == 303 and "messages" in browser.cookies
    _, _, page = browser.request("GET", "/_debug/form")
    assert '<p class="message success">Thanks, &lt;b&gt;Ann&lt;/b&gt;!</p>' in page
    _, _, page = browser.request("GET", "/_debug/form")
    assert "Thanks" not in page


def test_security_headers_and_hsts_only_from_a_trusted_proxy(famigo_server):
    server = famigo_server(debug__test_routes=True, server__drain_grace="0",
                           security__hsts_seconds="31536000", security__hsts_include_subdomains=True,
                           http__trusted_proxies="127.0.0.1")
    status, headers, _ = server.get("/healthz")
    assert status == 200
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers
    status, headers, _ = server.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"

    untrusted = famigo_server(server__drain_grace="0", security__hsts_seconds="3600")
    _, headers, _ = untrusted.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in headers


def test_ssl_redirect_spares_health_checks(famigo_server):
    server = famigo_server(server__drain_grace="0", security__ssl_redirect=True,
                           http__trusted_proxies="127.0.0.1")
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    conn.request("GET", "/static/x.css?v=1", headers={"Host": "localhost:8000"})
    response = conn.getresponse()
    response.read()
    assert response.status == 301
    assert response.getheader("Location") == "https://localhost/static/x.css?v=1"
    conn.close()
    assert server.get("/healthz")[0] == 200
    status, _, _ = server.get("/static/robots.txt", headers={"X-Forwarded-Proto": "https"})
    assert status != 301


def test_empty_secret_key_warns_at_start(famigo_server):
    server = famigo_server(server__drain_grace="0")
    assert "security.secret_key is empty" in server.log()


def famigo(*args):
    return subprocess.run([str(FAMIGO), *args], capture_output=True, text=True, timeout=30)


def test_config_check_deploy():
    plain = famigo("config", "check")
    assert plain.returncode == 0 and "WARNINGS" not in plain.stdout

    result = famigo("config", "check", "--deploy", "--set", "debug.test_routes=true",
                    "--set", "http.allowed_hosts=*")
    assert result.returncode == 0, result.stderr
    for warning_id in ["security.W009", "security.W004", "security.W008", "security.W012",
                       "security.W016", "security.W018", "famigo.W003"]:
        assert f"({warning_id}) " in result.stdout, warning_id
    count = int(re.search(r"deploy check identified (\d+) issues", result.stdout).group(1))
    assert count == result.stdout.count("\n(")
    assert famigo("config", "check", "--deploy", "--fail-level", "warning").returncode == 1

    hardened = ["--set", "security.secret_key=" + SECRET, "--set", "security.hsts_seconds=63072000",
                "--set", "security.hsts_include_subdomains=true", "--set", "security.hsts_preload=true",
                "--set", "security.ssl_redirect=true", "--set", "security.session_cookie_secure=true",
                "--set", "security.csrf_cookie_secure=true"]
    clean = famigo("config", "check", "--deploy", "--fail-level", "warning", *hardened)
    assert clean.returncode == 0, clean.stdout
    assert "deploy check identified 0 issues" in clean.stdout
    # config check output goes to deploy logs: the key itself is never printed.
    assert SECRET not in clean.stdout and "security.secret_key = (hidden, " in clean.stdout
    assert famigo("config", "check", "--fail-level", "warning").returncode == 2
    assert famigo("config", "check", "--deploy", "--fail-level", "loud").returncode == 2
