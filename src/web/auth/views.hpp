// The login and logout views, on the Site's router (names "login" and
// "logout", as base.html's {% url %} tags expect), and the context processor
// that gives every page `user` = {is_authenticated, username, is_staff}.
//   GET/POST /accounts/login/   the form (templates/accounts/login.html); a
//                               good password: new session id, 303 to a safe
//                               `next`; throttled attempts: 429 + Retry-After
//   POST     /accounts/logout/  the session is deleted; 303 to /
#pragma once

#include <string>
#include <string_view>

namespace famigo::apps {
struct Site;
}

namespace famigo::web::auth {

class Auth;

void install_views(apps::Site& site, const Auth& auth);

// `next` when it is a path on this site ("/x", not "//host" or "/\host", no
// scheme, no control characters), else "/".
std::string safe_next(std::string_view next);

inline constexpr std::string_view kLoginError =
    "Please enter a correct username and password. Note that both fields may be case-sensitive.";

}  // namespace famigo::web::auth
