"""Accounts by email through the real binary and a real SMTP server (Mailpit,
tests/env/mailpit): sign-up and the confirmation link read from the mail,
login by email in any case (usernames still work), one account per address,
password reset by a signed, single-use link, the settings page's password
change (other sessions logged out) and email change, bad input named by
field, replayed and forged links, and CSRF on every form. Mail goes through
the task queue (serve's worker threads) as every mail of the site."""
import re
import time
import urllib.parse

import pytest

from tasks_support import mailpit, mailpit_api  # noqa: F401
from test_auth import FAST_HASH, SECRET, famigo, stored_users
from test_websec import Client

PASSWORD = "pass-word-1"


@pytest.fixture
def store_url(tmp_path):
    return f"sqlite://{tmp_path / 'accounts.db'}"


@pytest.fixture
def site(famigo_server, mailpit, store_url):  # noqa: F811
    mailpit_api(mailpit, "messages", method="DELETE")
    server = famigo_server({"store.url": store_url, "security.secret_key": SECRET, **FAST_HASH,
                            "mail.url": f"smtp://127.0.0.1:{mailpit.ports[0]}",
                            "mail.starttls": "never", "mail.from": "Famigo <noreply@famigo.test>",
                            "tasks.poll_interval": "20ms"})
    server.mailpit = mailpit
    return server


def token_of(client, path):
    status, _, page = client.request("GET", path)
    assert status == 200, page
    match = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page)
    assert match, page
    return match.group(1)


def post(client, path, form, token_path=None):
    form = {"csrfmiddlewaretoken": token_of(client, token_path or path), **form}
    return client.request("POST", path, form)


def mail_to(site, address, subject, count=1, timeout=20):
    """The text of the newest of `count` mails to `address` with `subject`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = [m for m in mailpit_api(site.mailpit, "messages")["messages"]
                 if m["Subject"] == subject and any(t["Address"] == address for t in m["To"])]
        if len(found) >= count:
            return mailpit_api(site.mailpit, f"message/{found[0]['ID']}")["Text"]
        time.sleep(0.05)
    raise AssertionError(f"no mail {subject!r} to {address}: "
                         f"{mailpit_api(site.mailpit, 'messages')['messages']}")


def link_in(text):
    match = re.search(r"(http://\S+\?token=\S+)", text)
    assert match, text
    url = urllib.parse.urlsplit(match.group(1))
    return f"{url.path}?{url.query}", urllib.parse.parse_qs(url.query)["token"][0]


def sign_up(client, email, password=PASSWORD):
    return post(client, "/accounts/signup/",
                {"email": email, "password1": password, "password2": password})


def confirm(site, client, email):
    path, token = link_in(mail_to(site, email, "Confirm your Famigo account"))
    status, headers, page = client.request("GET", path)
    assert status == 200 and "Confirm my account" in page
    assert headers["Referrer-Policy"] == "no-referrer"
    return client.request("POST", "/accounts/confirm/",
                          {"csrfmiddlewaretoken": client_token(page), "token": token})


def client_token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page).group(1)


def who(client):
    """The username the login page says we are logged in as, or None."""
    status, _, page = client.request("GET", "/accounts/login/")
    assert status == 200
    match = re.search(r"You are logged in as (.+?)\.</p>", page)
    return match.group(1) if match else None


def log_in(client, login, password=PASSWORD):
    return post(client, "/accounts/login/", {"username": login, "password": password})


def test_sign_up_confirm_by_mailed_link_then_log_in_by_email(site, store_url):
    client = Client(site)
    status, _, page = sign_up(client, "Zoe.Parent@Example.org")
    assert status == 200 and "Check your inbox" in page and "Zoe.Parent@Example.org" in page
    # Not confirmed yet: the account cannot log in.
    status, _, page = log_in(Client(site), "zoe.parent@example.org")
    assert status == 200 and "Please enter a correct username and password" in page
    status, headers, _ = confirm(site, client, "Zoe.Parent@Example.org")
    assert status == 303 and headers["Location"] == "/"
    assert who(client) == "zoe.parent@example.org"
    # The confirmation link worked once.
    path, _ = link_in(mail_to(site, "Zoe.Parent@Example.org", "Confirm your Famigo account"))
    status, _, page = Client(site).request("GET", path)
    assert status == 400 and "This link does not work" in page
    # Any case of the address logs in, and so does the username.
    for login in ("ZOE.PARENT@example.ORG", "zoe.parent@example.org"):
        other = Client(site)
        status, _, _ = log_in(other, login)
        assert status == 303, login
        assert who(other) == "zoe.parent@example.org"
    users = stored_users(store_url)
    assert users["zoe.parent@example.org"]["email"] == "Zoe.Parent@Example.org"
    assert users["zoe.parent@example.org"]["is_active"] is True
    assert PASSWORD not in str(users)


def test_one_account_per_address_whatever_its_case(site, store_url):
    sign_up(Client(site), "ann@example.org")
    confirm(site, Client(site), "ann@example.org")
    status, _, page = sign_up(Client(site), "ANN@Example.ORG", "another-password")
    # The same page as for a new account (sign-up does not tell who has one)...
    assert status == 200 and "Check your inbox" in page
    # ... and the owner is told, with the way to reset the password.
    text = mail_to(site, "ann@example.org", "Your Famigo account")
    assert "/accounts/password/reset/" in text
    assert len(stored_users(store_url)) == 1
    status, _, _ = log_in(Client(site), "ann@example.org", "another-password")
    assert status == 200, "the second sign-up's password is worthless"


@pytest.mark.parametrize("form, field, message", [
    ({"email": "not-an-address", "password1": PASSWORD, "password2": PASSWORD}, "email",
     "Enter a valid email address."),
    ({"email": "a" * 250 + "@example.org", "password1": PASSWORD, "password2": PASSWORD}, "email",
     "at most 254 characters"),
    ({"email": "b@example.org", "password1": "short", "password2": "short"}, "password1",
     "at least 8 characters"),
    ({"email": "b@example.org", "password1": PASSWORD, "password2": PASSWORD + "x"}, "password2",
     "The two password fields didn&#x27;t match."),
    ({"email": "", "password1": PASSWORD, "password2": PASSWORD}, "email", "This field is required."),
])
def test_bad_sign_up_input_is_a_400_naming_the_field(site, store_url, form, field, message):
    status, _, page = sign_up_form(Client(site), form)
    assert status == 400
    assert re.search(rf'id="error_{field}">[^<]*{re.escape(message)}', page), page
    assert PASSWORD not in page, "passwords are never sent back"
    assert stored_users(store_url) == {}


def sign_up_form(client, form):
    return post(client, "/accounts/signup/", form)


def test_markup_in_the_address_is_escaped(site):
    status, _, page = sign_up(Client(site), '"<script>alert(1)</script>"@example.org')
    assert "<script>alert(1)</script>" not in page


def test_password_reset_by_a_signed_single_use_link(site):
    sign_up(Client(site), "max@example.org")
    confirm(site, Client(site), "max@example.org")
    status, _, page = post(Client(site), "/accounts/password/reset/", {"email": "MAX@example.org"})
    assert status == 200 and "we sent it a link" in page
    path, token = link_in(mail_to(site, "max@example.org", "Set a new Famigo password"))
    client = Client(site)
    status, headers, page = client.request("GET", path)
    assert status == 200 and "Set a new password" in page
    assert headers["Referrer-Policy"] == "no-referrer"
    form = {"csrfmiddlewaretoken": client_token(page), "token": token}
    # Forged tokens: another signature, another user's id, a confirmation token.
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "x" + token, "", "a:b:c"):
        status, _, page = client.request(
            "POST", "/accounts/password/reset/confirm/",
            {**form, "token": bad, "new_password1": "new-pass-word", "new_password2": "new-pass-word"})
        assert status == 400 and "This link does not work" in page, bad
    status, _, page = client.request("POST", "/accounts/password/reset/confirm/",
                                     {**form, "new_password1": "new-pass-word",
                                      "new_password2": "other-pass-word"})
    assert status == 400 and "didn&#x27;t match" in page
    status, headers, _ = client.request("POST", "/accounts/password/reset/confirm/",
                                        {**form, "new_password1": "new-pass-word",
                                         "new_password2": "new-pass-word"})
    assert status == 303 and headers["Location"] == "/accounts/login/"
    # Replayed: the link is dead once used.
    status, _, page = client.request("POST", "/accounts/password/reset/confirm/",
                                     {**form, "new_password1": "third-pass-word",
                                      "new_password2": "third-pass-word"})
    assert status == 400 and "This link does not work" in page
    assert Client(site).request("GET", path)[0] == 400
    assert log_in(Client(site), "max@example.org")[0] == 200, "the old password is gone"
    assert log_in(Client(site), "max@example.org", "new-pass-word")[0] == 303


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(site):
    status, _, page = post(Client(site), "/accounts/password/reset/", {"email": "nobody@example.org"})
    assert status == 200 and "If an account uses nobody@example.org" in page
    # A mail queued after it arrives; none went to the unknown address.
    sign_up(Client(site), "later@example.org")
    mail_to(site, "later@example.org", "Confirm your Famigo account")
    assert all(m["To"][0]["Address"] != "nobody@example.org"
               for m in mailpit_api(site.mailpit, "messages")["messages"])


def test_password_change_logs_out_the_other_sessions(site):
    sign_up(Client(site), "kim@example.org")
    here = Client(site)
    confirm(site, here, "kim@example.org")
    there = Client(site)
    assert log_in(there, "kim@example.org")[0] == 303
    status, _, page = post(here, "/accounts/password/",
                           {"old_password": "wrong-password", "new_password1": "new-pass-word",
                            "new_password2": "new-pass-word"}, token_path="/accounts/settings/")
    assert status == 400 and "Your old password was entered incorrectly" in page
    status, headers, _ = post(here, "/accounts/password/",
                              {"old_password": PASSWORD, "new_password1": "new-pass-word",
                               "new_password2": "new-pass-word"}, token_path="/accounts/settings/")
    assert status == 303 and headers["Location"] == "/accounts/settings/"
    assert who(here) == "kim@example.org", "this session goes on"
    assert who(there) is None, "the other session ended"


def test_email_change_by_a_link_to_the_new_address(site, store_url):
    sign_up(Client(site), "lee@example.org")
    client = Client(site)
    confirm(site, client, "lee@example.org")
    sign_up(Client(site), "taken@example.org")
    for email, password, message in (("Taken@example.org", PASSWORD, "used by another account"),
                                     ("new@example.org", "wrong-password", "incorrectly"),
                                     ("LEE@example.org", PASSWORD, "your email address already")):
        status, _, page = post(client, "/accounts/email/", {"email": email, "password": password},
                               token_path="/accounts/settings/")
        assert status == 400 and message in page, email
    status, _, _ = post(client, "/accounts/email/", {"email": "Lee.New@example.org",
                                                     "password": PASSWORD},
                        token_path="/accounts/settings/")
    assert status == 303
    path, token = link_in(mail_to(site, "Lee.New@example.org", "Confirm your new Famigo email address"))
    status, _, page = client.request("GET", path)
    assert status == 200 and "Use Lee.New@example.org" in page
    # The link is for changing the address: as a sign-up or reset link it is worthless.
    assert client.request("GET", "/accounts/confirm/?token=" + urllib.parse.quote(token))[0] == 400
    status, headers, _ = client.request("POST", "/accounts/email/confirm/",
                                        {"csrfmiddlewaretoken": client_token(page), "token": token})
    assert status == 303
    assert log_in(Client(site), "lee.new@EXAMPLE.org")[0] == 303
    assert stored_users(store_url)["lee@example.org"]["email"] == "Lee.New@example.org"
    # The old address is free: signing up with it makes a new account (its
    # username, taken by the first account, is made up).
    sign_up(Client(site), "LEE@example.org")
    confirm(site, Client(site), "LEE@example.org")
    users = stored_users(store_url)
    assert [u for u in users if u.startswith("family-")] and len(users) == 3
    status, _, page = client.request("GET", "/accounts/settings/")
    assert "Lee.New@example.org" in page


@pytest.mark.parametrize("path, form", [
    ("/accounts/signup/", {"email": "c@example.org", "password1": PASSWORD, "password2": PASSWORD}),
    ("/accounts/confirm/", {"token": "x"}),
    ("/accounts/password/reset/", {"email": "c@example.org"}),
    ("/accounts/password/reset/confirm/", {"token": "x", "new_password1": PASSWORD,
                                           "new_password2": PASSWORD}),
    ("/accounts/password/", {"old_password": PASSWORD, "new_password1": "a" * 9,
                             "new_password2": "a" * 9}),
    ("/accounts/email/", {"email": "c@example.org", "password": PASSWORD}),
    ("/accounts/email/confirm/", {"token": "x"}),
])
def test_every_form_needs_its_csrf_token(site, path, form):
    client = Client(site)
    token_of(client, "/accounts/signup/")  # has the cookie, sends no token
    status, _, page = client.request("POST", path, form)
    assert status == 403 and "CSRF" in page


def test_settings_need_a_login(site):
    status, headers, _ = Client(site).request("GET", "/accounts/settings/")
    assert status == 303
    assert headers["Location"] == "/accounts/login/?next=/accounts/settings/"


def test_user_create_claims_the_address(store_url):
    assert famigo(store_url, "user", "create", "first", "--email", "Same@example.org",
                  stdin=PASSWORD + "\n").returncode == 0
    result = famigo(store_url, "user", "create", "second", "--email", "same@EXAMPLE.org",
                    stdin=PASSWORD + "\n")
    assert result.returncode == 1 and "another account uses" in result.stderr
    assert list(stored_users(store_url)) == ["first"]
