"""Sessions, users, login/logout and login throttling through the real binary:
the login page (CSRF token, security headers), CSRF refusals, wrong and right
passwords, a new session id at login, logout invalidating the old id, legacy
Django hashes upgraded to Argon2id, throttling per account and per address,
XSS payloads escaped, open redirects refused, both session engines, and
`famigo user`."""
import base64
import hashlib
import json
import re
import subprocess
import time

import pytest

from conftest import FAMIGO
from test_websec import Client

SECRET = "integration-auth-secret-key-" + "q7w8e9" * 5
# Cheap Argon2id for the tests; the defaults are measured in test_login_latency.
FAST_HASH = {"security.password_ops_limit": "1", "security.password_mem_limit": "8MiB"}
PASSWORD = "correct horse battery"


@pytest.fixture
def store_url(tmp_path):
    return f"sqlite://{tmp_path / 'auth.db'}"


def famigo(store_url, *args, stdin="", settings=None):
    cmd = [str(FAMIGO), *args, "--set", f"store.url={store_url}"]
    for key, value in {**FAST_HASH, **(settings or {})}.items():
        cmd += ["--set", f"{key}={value}"]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=60)


def create_user(store_url, username, password=PASSWORD, *extra):
    result = famigo(store_url, "user", "create", username, *extra, stdin=password + "\n")
    assert result.returncode == 0, result.stderr
    return result


def stored_users(store_url):
    result = famigo(store_url, "db", "find", "users")
    assert result.returncode == 0, result.stderr
    return {doc["username"]: doc for doc in map(json.loads, result.stdout.splitlines())}


@pytest.fixture
def start(famigo_server, store_url):
    def start_with(**settings):
        merged = {"store.url": store_url, "security.secret_key": SECRET, **FAST_HASH}
        merged.update({key.replace("__", "."): value for key, value in settings.items()})
        return famigo_server(merged)

    return start_with


def login_token(client, path="/accounts/login/"):
    status, _, page = client.request("GET", path)
    assert status == 200, page
    match = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page)
    assert match, page
    return match.group(1)


def log_in(client, username, password=PASSWORD, next_url=None, headers=None):
    form = {"csrfmiddlewaretoken": login_token(client), "username": username, "password": password}
    if next_url is not None:
        form["next"] = next_url
    return client.request("POST", "/accounts/login/", form, headers=headers)


def who(client):
    """The username the login page says we are logged in as, or None."""
    status, headers, page = client.request("GET", "/accounts/login/")
    assert status == 200
    match = re.search(r"You are logged in as ([^.<]+)\.", page)
    return match.group(1) if match else None


def test_login_page_has_token_and_security_headers_and_no_session(start):
    server = start()
    client = Client(server)
    status, headers, page = client.request("GET", "/accounts/login/")
    assert status == 200
    assert re.search(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', page)
    assert 'name="username"' in page and 'type="password"' in page
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in headers["Cache-Control"]
    assert "sessionid" not in client.cookies, "anonymous visitors get no session"
    assert '<a href="/accounts/login/">' in page or "/accounts/login/" in page


def test_post_without_csrf_token_is_refused(start, store_url):
    create_user(store_url, "ann")
    server = start()
    client = Client(server)
    login_token(client)  # has the cookie, sends no token
    status, _, page = client.request("POST", "/accounts/login/",
                                     {"username": "ann", "password": PASSWORD})
    assert status == 403 and "CSRF token missing" in page
    status, _, _ = Client(server).request("POST", "/accounts/login/",
                                          {"username": "ann", "password": PASSWORD})
    assert status == 403
    status, _, _ = client.request("POST", "/accounts/logout/", {})
    assert status == 403


def test_wrong_password_shows_djangos_error(start, store_url):
    create_user(store_url, "ann")
    client = Client(start())
    status, _, page = log_in(client, "ann", "wrong")
    assert status == 200
    assert ("Please enter a correct username and password. Note that both fields may be "
            "case-sensitive.") in page
    assert 'value="ann"' in page, "the username is kept"
    assert "wrong" not in page, "the password is never sent back"
    assert "sessionid" not in client.cookies
    status, _, page = log_in(client, "nobody", PASSWORD)
    assert status == 200 and "Please enter a correct username" in page


def test_login_cycles_session_id_and_logout_invalidates_it(start, store_url):
    create_user(store_url, "ann")
    server = start()
    client = Client(server)
    status, headers, _ = log_in(client, "ann")
    assert status == 303 and headers["Location"] == "/"
    first = client.cookies["sessionid"]
    set_cookie = [v for v in headers.get_all("Set-Cookie") if v.startswith("sessionid=")][0]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and "Max-Age=1209600" in set_cookie
    assert who(client) == "ann"

    # Logged in pages depend on the cookie: never shared.
    status, headers, page = client.request("GET", "/accounts/login/")
    assert "Cookie" in headers["Vary"] and "private" in headers["Cache-Control"]

    # Log in again from the same browser: the session id changes (fixation).
    status, _, _ = log_in(client, "ann")
    assert status == 303
    second = client.cookies["sessionid"]
    assert second != first
    stale = Client(server)
    stale.cookies["sessionid"] = first
    assert who(stale) is None, "the pre-login id no longer authenticates"
    assert who(client) == "ann"

    status, headers, _ = client.request("POST", "/accounts/logout/",
                                        {"csrfmiddlewaretoken": login_token(client)})
    assert status == 303 and headers["Location"] == "/"
    assert any(v.startswith("sessionid=") and "Max-Age=0" in v for v in headers.get_all("Set-Cookie"))
    assert "sessionid" not in client.cookies
    replay = Client(server)
    replay.cookies["sessionid"] = second
    assert who(replay) is None, "the logged-out id is dead"


def test_welcome_message_and_user_in_header(start, store_url):
    create_user(store_url, "ann")
    client = Client(start())
    log_in(client, "ann")
    status, _, page = client.request("GET", "/accounts/login/")
    assert "Welcome back, ann." in page
    assert re.search(r'class="who">ann<', page)
    assert 'action="/accounts/logout/"' in page


def test_session_engine_store(start, store_url):
    create_user(store_url, "ann")
    server = start(session__engine="store")
    client = Client(server)
    assert log_in(client, "ann")[0] == 303
    assert who(client) == "ann"
    count = famigo(store_url, "db", "count", "sessions")
    assert count.stdout.strip() == "1", count
    client.request("POST", "/accounts/logout/", {"csrfmiddlewaretoken": login_token(client)})
    assert famigo(store_url, "db", "count", "sessions").stdout.strip() == "0"
    indexes = famigo(store_url, "db", "indexes", "sessions").stdout
    assert "expires" in indexes


def django_pbkdf2(password, salt, iterations=1000):
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(digest).decode()}"


def django_sha1(password, salt):
    return f"sha1${salt}${hashlib.sha1((salt + password).encode()).hexdigest()}"


def test_legacy_hashes_are_upgraded_to_argon2_at_login(start, store_url):
    docs = [
        {"username": "old", "email": "", "password": django_pbkdf2("pbkdf2 pw", "NaCl1234"),
         "is_active": True, "is_staff": False, "date_joined": "2012-01-01T00:00:00Z"},
        {"username": "older", "email": "", "password": django_sha1("sha1 pw", "a1b2c"),
         "is_active": True, "is_staff": False, "date_joined": "2010-01-01T00:00:00Z"},
    ]
    create_user(store_url, "someone")  # creates the collection with its indexes
    inserted = famigo(store_url, "db", "insert", "users",
                      stdin="".join(json.dumps(d) + "\n" for d in docs))
    assert inserted.returncode == 0, inserted.stderr
    server = start()
    assert log_in(Client(server), "old", "wrong")[0] == 200
    assert stored_users(store_url)["old"]["password"].startswith("pbkdf2_sha256$")
    assert log_in(Client(server), "old", "pbkdf2 pw")[0] == 303
    assert log_in(Client(server), "older", "sha1 pw")[0] == 303
    users = stored_users(store_url)
    for name in ("old", "older"):
        assert users[name]["password"].startswith("argon2$argon2id$"), users[name]
        assert users[name]["last_login"]
    client = Client(server)
    assert log_in(client, "old", "pbkdf2 pw")[0] == 303, "the new hash verifies"
    assert who(client) == "old"


def test_account_throttle_refuses_even_the_right_password(start, store_url):
    create_user(store_url, "ann")
    server = start()
    for _ in range(5):
        assert log_in(Client(server), "ann", "nope")[0] == 200
    client = Client(server)
    status, headers, page = log_in(client, "ann", PASSWORD)
    assert status == 429
    retry = int(headers["Retry-After"])
    assert 0 < retry <= 900
    assert "Too many failed login attempts" in page
    assert "sessionid" not in client.cookies
    # Another account from the same address is not locked (5 < 20).
    create_user(store_url, "bob")
    assert log_in(Client(server), "bob", PASSWORD)[0] == 303
    assert log_in(Client(server), "ANN", PASSWORD)[0] == 429, "the account key ignores case"


def test_success_clears_the_account_counter(start, store_url):
    create_user(store_url, "ann")
    server = start(auth__max_failures_per_account_address="3")
    for _ in range(2):
        log_in(Client(server), "ann", "nope")
    assert log_in(Client(server), "ann")[0] == 303
    for _ in range(2):
        log_in(Client(server), "ann", "nope")
    assert log_in(Client(server), "ann")[0] == 303


def test_address_throttle_across_usernames(start, store_url):
    create_user(store_url, "zed")
    server = start(auth__max_failures_per_address="3")
    for name in ("a", "b", "c"):
        assert log_in(Client(server), name, "guess")[0] == 200
    status, headers, page = log_in(Client(server), "zed", PASSWORD)
    assert status == 429 and "Retry-After" in headers
    # Another client address (through a trusted proxy) is not locked.
    server2 = start(auth__max_failures_per_address="3", http__trusted_proxies="127.0.0.1")
    other = Client(server2, headers={"X-Forwarded-For": "203.0.113.9"})
    assert log_in(other, "zed", PASSWORD)[0] == 303


def test_window_ends_the_lockout(start, store_url):
    create_user(store_url, "ann")
    server = start(auth__max_failures_per_account_address="1", auth__throttle_window="1s")
    log_in(Client(server), "ann", "nope")
    status, headers, _ = log_in(Client(server), "ann")
    assert status == 429 and headers["Retry-After"] == "1"
    time.sleep(1.3)
    assert log_in(Client(server), "ann")[0] == 303


def test_xss_payload_as_username_comes_back_escaped(start):
    client = Client(start())
    payload = '<script>alert("x")</script>\'"><img src=x onerror=alert(1)>'
    status, _, page = log_in(client, payload, "pw")
    assert status == 200
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    status, _, page = log_in(client, "ann", "pw", next_url='"><script>alert(2)</script>')
    assert "<script>alert(2)" not in page


def test_next_is_followed_only_on_this_site(start, store_url):
    create_user(store_url, "ann")
    server = start()
    for next_url, expected in [
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/accounts/login/?x=1", "/accounts/login/?x=1"),
    ]:
        status, headers, _ = log_in(Client(server), "ann", next_url=next_url)
        assert status == 303 and headers["Location"] == expected, next_url
    # ?next= on the GET is carried in the form.
    client = Client(server)
    status, _, page = client.request("GET", "/accounts/login/?next=/browse/")
    assert 'name="next" value="/browse/"' in page


def test_user_command(start, store_url):
    created = create_user(store_url, "ann", PASSWORD, "--email", "ann@example.com", "--staff")
    assert "created user ann" in created.stdout
    users = stored_users(store_url)
    assert users["ann"]["is_staff"] is True and users["ann"]["email"] == "ann@example.com"
    assert users["ann"]["password"].startswith("argon2$argon2id$")
    assert PASSWORD not in json.dumps(users)
    again = famigo(store_url, "user", "create", "ann", stdin="x\n")
    assert again.returncode == 1 and "already exists" in again.stderr
    bad = famigo(store_url, "user", "create", "ann lee", stdin="x\n")
    assert bad.returncode == 2 and "Enter a valid username" in bad.stderr
    empty = famigo(store_url, "user", "create", "bob", stdin="")
    assert empty.returncode == 2 and "empty" in empty.stderr
    missing = famigo(store_url, "user", "set-password", "nobody", stdin="x\n")
    assert missing.returncode == 1

    server = start()
    client = Client(server)
    assert log_in(client, "ann")[0] == 303
    changed = famigo(store_url, "user", "set-password", "ann", stdin="new password\n")
    assert changed.returncode == 0, changed.stderr
    assert who(client) is None, "a password change logs out existing sessions"
    assert log_in(Client(server), "ann", PASSWORD)[0] == 200
    assert log_in(Client(server), "ann", "new password")[0] == 303


def test_login_with_default_argon2(famigo_server, store_url):
    """Default Argon2id limits (t=3, 64 MiB): logins succeed. The time is printed, not
    asserted: speed goals live in bench/, and a loaded CI machine made a 2 s bound flaky."""
    result = subprocess.run([str(FAMIGO), "user", "create", "ann", "--set", f"store.url={store_url}"],
                            input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    server = famigo_server({"store.url": store_url, "security.secret_key": SECRET})
    timings = []
    for _ in range(3):
        client = Client(server)
        form = {"csrfmiddlewaretoken": login_token(client), "username": "ann", "password": PASSWORD}
        began = time.perf_counter()
        status, _, _ = client.request("POST", "/accounts/login/", form)
        timings.append(time.perf_counter() - began)
        assert status == 303
    print(f"login POST with default Argon2id: median {sorted(timings)[1] * 1000:.0f} ms")


def test_page_cache_treats_only_session_messages_and_authorization_as_private(start):
    from cache_support import raw_get

    server = start(debug__test_routes=True, server__drain_grace="0")
    page = "/_debug/cache/page?key=auth"
    assert raw_get(server, page)[2] == b"page key=auth fill 1\n"
    # Other cookies (the CSRF cookie, a preference) still get the shared page.
    assert raw_get(server, page, "Cookie: csrftoken=abc; theme=dark\r\n")[2] == b"page key=auth fill 1\n"
    # A session or flash messages make the request private.
    assert raw_get(server, page, "Cookie: csrftoken=abc; sessionid=x\r\n")[2] == b"page key=auth fill 2\n"
    assert raw_get(server, page, "Cookie: messages=x\r\n")[2] == b"page key=auth fill 3\n"
    assert raw_get(server, page)[2] == b"page key=auth fill 1\n"
