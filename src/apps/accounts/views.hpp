// The accounts app's views, on the worker pool (Argon2id and the store block):
//   login_view   GET: the form (templates/accounts/login.html); POST: the
//                throttle, then the password; a good one gets a new session
//                id and a 303 to a safe `next`; throttled attempts get 429
//                with Retry-After
//   logout_view  POST: the session is deleted; 303 to /
// Sessions, users and the throttle are the platform's (web/auth, docs/auth.md).
#pragma once

#include <string>
#include <string_view>

#include "http/request.hpp"
#include "http/response.hpp"

namespace famigo::web::auth {
class Auth;
}

namespace famigo::apps {
struct Site;
}

namespace famigo::apps::accounts {

void login_view(const Site& site, const web::auth::Auth& auth, http::Request& request,
                http::Response& response);
void logout_view(const web::auth::Auth& auth, http::Request& request, http::Response& response);

// `next` when it is a path on this site ("/x", not "//host" or "/\host", no
// scheme, no control characters), else "/".
std::string safe_next(std::string_view next);

inline constexpr std::string_view kLoginError =
    "Please enter a correct username and password. Note that both fields may be case-sensitive.";

}  // namespace famigo::apps::accounts
