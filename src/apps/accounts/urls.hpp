// The accounts app's route table, on the Site's router (names "login" and
// "logout", as base.html's {% url %} tags expect), and the `user` every page
// gets (web/auth's context, added to the Site's context processors), with
// the `csrf_token` the header's Log out form needs on logged-in pages:
//   GET/POST /accounts/login/                  login_view
//   POST     /accounts/logout/                 logout_view
//   GET/POST /accounts/signup/                 signup_view
//   GET/POST /accounts/confirm/?token=         confirm_view ("signup-confirm")
//   GET/POST /accounts/password/reset/         password_reset_view
//   GET/POST /accounts/password/reset/confirm/ password_set_view ("password-set")
//   GET      /accounts/settings/               settings_view ("account-settings")
//   POST     /accounts/password/               password_change_view
//   POST     /accounts/email/                  email_change_view
//   GET/POST /accounts/email/confirm/?token=   email_confirm_view
// (views.hpp). The config keys are in accounts.hpp.
#pragma once

#include "apps/site/site.hpp"

namespace famigo::apps::accounts {

// Adds the routes and the context processor (site.auth does the work). The
// Site must outlive the router (serve builds it before the server).
Running install(Site& site);

}  // namespace famigo::apps::accounts
