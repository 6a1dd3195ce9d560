// The accounts app's route table, on the Site's router (names "login" and
// "logout", as base.html's {% url %} tags expect), and the `user` every page
// gets (web/auth's context, added to the Site's context processors), with
// the `csrf_token` the header's Log out form needs on logged-in pages:
//   GET/POST /accounts/login/   views.hpp: login_view
//   POST     /accounts/logout/  views.hpp: logout_view
#pragma once

#include "apps/site/site.hpp"

namespace famigo::apps::accounts {

// Adds the routes and the context processor (site.auth does the work). The
// Site must outlive the router (serve builds it before the server).
Running install(Site& site);

}  // namespace famigo::apps::accounts
