#include "apps/accounts/urls.hpp"

#include "apps/accounts/views.hpp"
#include "apps/site/site.hpp"
#include "http/router.hpp"
#include "web/auth/auth.hpp"

namespace famigo::apps::accounts {

void add_routes(Site& site, const web::auth::Auth& auth) {
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
        [&auth](const http::Request& request, web::tmpl::Json& context) {
            context["user"] = auth.user_context(request);
        });
}

}  // namespace famigo::apps::accounts
