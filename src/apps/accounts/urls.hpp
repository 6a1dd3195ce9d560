// The accounts app's route table, on the Site's router (names "login" and
// "logout", as base.html's {% url %} tags expect), and the `user` every page
// gets (web/auth's context, added to the Site's context processors), with
// the `csrf_token` the header's Log out form needs on logged-in pages:
//   GET/POST /accounts/login/   views.hpp: login_view
//   POST     /accounts/logout/  views.hpp: logout_view
#pragma once

namespace famigo::web::auth {
class Auth;
}

namespace famigo::apps {
struct Site;
}

namespace famigo::apps::accounts {

// `site` and `auth` must outlive the router (serve builds both before the server).
void add_routes(Site& site, const web::auth::Auth& auth);

}  // namespace famigo::apps::accounts
