#include "apps/accounts/urls.hpp"

#include <memory>

#include "apps/accounts/accounts.hpp"
#include "apps/accounts/views.hpp"
#include "apps/site/site.hpp"
#include "http/router.hpp"
#include "web/auth/auth.hpp"
#include "web/security/csrf.hpp"

namespace famigo::apps::accounts {

Running install(Site& site) {
    auto app = std::make_shared<Accounts>(site, site.auth, link_ages(site.config));
    using View = void (*)(const Accounts&, http::Request&, http::Response&);
    auto add = [&site, &app](const char* name, const char* path, View view, unsigned methods) {
        site.router.add(
            name, path,
            [&accounts = *app, view](http::Request& request, http::Response& response) {
                view(accounts, request, response);
            },
            http::Execution::Pool, methods);
    };
    constexpr unsigned kForm = http::kGet | http::kHead | http::kPost;
    add("login", "/accounts/login/", login_view, kForm);
    add("logout", "/accounts/logout/", logout_view, http::kPost);
    add("signup", "/accounts/signup/", signup_view, kForm);
    add("signup-confirm", "/accounts/confirm/", confirm_view, kForm);
    add("password-reset", "/accounts/password/reset/", password_reset_view, kForm);
    add("password-set", "/accounts/password/reset/confirm/", password_set_view, kForm);
    add("account-settings", "/accounts/settings/", settings_view, http::kGet | http::kHead);
    add("password-change", "/accounts/password/", password_change_view, http::kPost);
    add("email-change", "/accounts/email/", email_change_view, http::kPost);
    add("email-confirm", "/accounts/email/confirm/", email_confirm_view, kForm);

    const web::auth::Auth& auth = site.auth;
    site.context_processors.push_back(
        [&auth](const http::Request& request, http::Response& response, web::tmpl::Json& context) {
            context["user"] = auth.user_context(request);
            // base.html's Log out button posts a form: logged-in pages (never
            // shared: they vary on the session cookie) carry the CSRF token.
            if (context["user"]["is_authenticated"] == true && !context.contains("csrf_token"))
                context["csrf_token"] = auth.security().csrf->token(request, response);
        });
    return app;  // the routes' views use it while the server runs
}

}  // namespace famigo::apps::accounts
