#include "apps/accounts/urls.hpp"

#include "apps/accounts/views.hpp"
#include "apps/site/site.hpp"
#include "http/router.hpp"
#include "web/auth/auth.hpp"
#include "web/security/csrf.hpp"

namespace famigo::apps::accounts {

Running install(Site& site) {
    const web::auth::Auth& auth = site.auth;
    site.router.add(
        "login", "/accounts/login/",
        [&site, &auth](http::Request& request, http::Response& response) {
            login_view(site, auth, request, response);
        },
        http::Execution::Pool, http::kGet | http::kHead | http::kPost);
    site.router.add(
        "logout", "/accounts/logout/",
        [&auth](http::Request& request, http::Response& response) {
            logout_view(auth, request, response);
        },
        http::Execution::Pool, http::kPost);
    site.context_processors.push_back(
        [&auth](const http::Request& request, http::Response& response, web::tmpl::Json& context) {
            context["user"] = auth.user_context(request);
            // base.html's Log out button posts a form: logged-in pages (never
            // shared: they vary on the session cookie) carry the CSRF token.
            if (context["user"]["is_authenticated"] == true && !context.contains("csrf_token"))
                context["csrf_token"] = auth.security().csrf->token(request, response);
        });
    return nullptr;  // nothing of its own to keep running
}

}  // namespace famigo::apps::accounts
