// The accounts app's views, on the worker pool (Argon2id, the store and the
// queue block). Sessions, users and the throttle are the platform's
// (web/auth, docs/auth.md); the app adds email addresses as account names
// and the mailed links (docs/auth.md, "Accounts by email").
//   login_view           GET: the form; POST: the throttle, then the password
//                        (a username or an account's email); a good one gets a
//                        new session id and a 303 to a safe `next`; throttled
//                        attempts get 429 with Retry-After
//   logout_view          POST: the session is deleted; 303 to /
//   signup_view          GET/POST: email and password; an inactive account and
//                        a confirmation mail (account_views.cpp)
//   confirm_view         GET ?token: a button; POST: the account is active and
//                        logged in
//   password_reset_view  GET/POST: an email address; a reset link to its
//                        account, if any (password_views.cpp)
//   password_set_view    GET ?token: the new password form; POST: sets it
//   settings_view        GET: the logged-in user's email and password forms
//   password_change_view POST: old and new password; other sessions end
//   email_change_view    POST: new address and password; a link to the new address
//   email_confirm_view   GET ?token: a button; POST: the address changes
#pragma once

#include <string>
#include <string_view>

#include "http/request.hpp"
#include "http/response.hpp"

namespace famigo::apps::accounts {

struct Accounts;

void login_view(const Accounts& app, http::Request& request, http::Response& response);
void logout_view(const Accounts& app, http::Request& request, http::Response& response);
void signup_view(const Accounts& app, http::Request& request, http::Response& response);
void confirm_view(const Accounts& app, http::Request& request, http::Response& response);
void password_reset_view(const Accounts& app, http::Request& request, http::Response& response);
void password_set_view(const Accounts& app, http::Request& request, http::Response& response);
void settings_view(const Accounts& app, http::Request& request, http::Response& response);
void password_change_view(const Accounts& app, http::Request& request, http::Response& response);
void email_change_view(const Accounts& app, http::Request& request, http::Response& response);
void email_confirm_view(const Accounts& app, http::Request& request, http::Response& response);

// `next` when it is a path on this site ("/x", not "//host" or "/\host", no
// scheme, no control characters), else "/".
std::string safe_next(std::string_view next);

inline constexpr std::string_view kLoginError =
    "Please enter a correct username and password. Note that both fields may be case-sensitive.";

}  // namespace famigo::apps::accounts
