// What the accounts app's views share: the Site, auth, the email claims and
// the mailed links, and the helpers every account page uses (render a page
// with a form, send one of the app's mails, the absolute URL of a link).
// install() (urls.cpp) makes one and the routes keep it alive.
//
// Config keys (defined in urls.cpp):
//   accounts.confirm_link_age  how long a confirmation link works ("72h")
//   accounts.reset_link_age    how long a password reset link works ("1h")
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "apps/accounts/emails.hpp"
#include "apps/accounts/links.hpp"
#include "apps/site/site.hpp"
#include "web/auth/users.hpp"
#include "web/template/value.hpp"

namespace famigo::config {
class Config;
class Schema;
}  // namespace famigo::config
namespace famigo::web::auth {
class Auth;
}
namespace famigo::web::security {
class Form;
}

namespace famigo::apps::accounts {

void define_config(config::Schema& schema);
LinkAges link_ages(const config::Config& config);

struct Accounts {
    Accounts(const Site& site, const web::auth::Auth& auth, LinkAges ages);

    const Site& site;
    const web::auth::Auth& auth;
    AccountEmails emails;
    AccountLinks links;

    // The user whose username this is, or who owns this email address.
    std::optional<web::auth::User> find_login(std::string_view username_or_email) const;

    // A page of the app: the CSRF token in its context, never stored by anyone.
    void render(http::Request& request, http::Response& response, std::string_view name,
                web::tmpl::Json context, int status = 200) const;
    // templates/accounts/notice.html: a title and a text (and, with `action`,
    // a button posting `token` there).
    void notice(http::Request& request, http::Response& response, std::string_view title,
                std::string_view text, int status = 200, std::string_view action = {},
                std::string_view token = {}, std::string_view button = {}) const;

    // The absolute URL of route `name` with ?token=..., on the host this
    // request came to (HostMiddleware checked it against http.allowed_hosts).
    std::string link(const http::Request& request, std::string_view name,
                     std::string_view token) const;
    // Renders templates/mail/accounts/<name>.txt and sends it through the
    // queue; 503 when this process sends no mail.
    void send(std::string_view to, std::string subject, std::string_view name,
              web::tmpl::Json context) const;
    // The logged-in user; nullopt after answering a 303 to the login page
    // (with ?next= this page).
    std::optional<web::auth::User> require_user(http::Request& request,
                                                http::Response& response) const;
    // The logged-in `user` again when `password` is theirs. Guessing it from
    // a stolen session is throttled as logins are: 429 with Retry-After
    // naming `field`; 503 when no hashing slot comes free.
    std::optional<web::auth::User> check_password(const http::Request& request,
                                                  const web::auth::User& user,
                                                  std::string_view password,
                                                  std::string_view field) const;
    // Logs `user` in as the login page does: a new session id (its data
    // kept) and a new CSRF secret, so nothing seen before is worth anything.
    void log_in(http::Request& request, http::Response& response, web::auth::User& user) const;

    // Queues a flash message for the next page.
    void flash(const http::Request& request, http::Response& response, std::string_view text) const;
};

// The settings page's two forms (settings_views.cpp), and the page itself
// with them (unbound when null; bound ones show their errors, with 400).
web::security::Form password_change_form();
web::security::Form email_change_form();
void settings_page(const Accounts& app, http::Request& request, http::Response& response,
                   const web::auth::User& user, const web::security::Form* password_form,
                   const web::security::Form* email_form);

}  // namespace famigo::apps::accounts
