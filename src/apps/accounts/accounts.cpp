#include "apps/accounts/accounts.hpp"

#include "core/config.hpp"
#include "core/encoding.hpp"
#include "http/errors.hpp"
#include "http/router.hpp"
#include "mail/message.hpp"
#include "web/auth/auth.hpp"
#include "web/security/csrf.hpp"
#include "web/template/engine.hpp"

namespace famigo::apps::accounts {

void define_config(config::Schema& schema) {
    schema
        .add({"accounts.confirm_link_age", config::Kind::DurationMs, "72h",
              "how long the link confirming a new account or a new email address works",
              config::positive})
        .add({"accounts.reset_link_age", config::Kind::DurationMs, "1h",
              "how long a password reset link works", config::positive});
}

LinkAges link_ages(const config::Config& config) {
    auto seconds = [&](std::string_view key) {
        return std::chrono::seconds(std::max<std::int64_t>(1, config.integer(key) / 1000));
    };
    return {seconds("accounts.confirm_link_age"), seconds("accounts.reset_link_age")};
}

Accounts::Accounts(const Site& site_, const web::auth::Auth& auth_, LinkAges ages)
    : site(site_), auth(auth_), emails(site_.store), links(auth_.security(), ages) {}

std::optional<web::auth::User> Accounts::find_login(std::string_view username_or_email) const {
    // An address first: usernames may contain '@' too, but an address that
    // is some account's email names that account.
    if (username_or_email.find('@') != std::string_view::npos)
        if (auto id = emails.owner(username_or_email))
            if (auto user = auth.users().get(*id)) return user;
    return auth.users().find_by_username(username_or_email);
}

void Accounts::render(http::Request& request, http::Response& response, std::string_view name,
                      web::tmpl::Json context, int status) const {
    context["csrf_token"] = auth.security().csrf->token(request, response);
    site.render(request, response, name, std::move(context), status);
    // Forms with a per-client token, links with tokens: never stored by anyone.
    response.set_header("Cache-Control", "private, no-store");
}

void Accounts::notice(http::Request& request, http::Response& response, std::string_view title,
                      std::string_view text, int status, std::string_view action,
                      std::string_view token, std::string_view button) const {
    web::tmpl::Json context = {{"title", title}, {"text", text}};
    if (!action.empty())
        context["action"] = {{"url", action}, {"token", token}, {"button", button}};
    render(request, response, "accounts/notice.html", std::move(context), status);
}

std::string Accounts::link(const http::Request& request, std::string_view name,
                           std::string_view token) const {
    std::string url = request.secure ? "https://" : "http://";
    url += request.host();
    url += site.router.reverse(std::string(name));
    url += "?token=";
    encoding::append_percent_encoded(url, token);
    return url;
}

void Accounts::send(std::string_view to, std::string subject, std::string_view name,
                    web::tmpl::Json context) const {
    if (!site.send_mail) {
        http::HttpError unavailable(503, "mail_unavailable",
                                    "This server sends no mail. Please try again later.");
        unavailable.retry_after = 60;
        throw unavailable;
    }
    mail::Message message;
    message.to.emplace_back(to);
    message.subject = std::move(subject);
    message.text = site.templates->render("mail/accounts/" + std::string(name) + ".txt", context);
    site.send_mail(message);
}

std::optional<web::auth::User> Accounts::require_user(http::Request& request,
                                                      http::Response& response) const {
    if (auto user = auth.user(request)) return user;
    std::string location = site.router.reverse("login") + "?next=";
    encoding::append_percent_encoded(location, request.path, "/");
    response.status = 303;
    response.set_header("Location", location);
    response.set_header("Cache-Control", "private, no-store");
    return std::nullopt;
}

std::optional<web::auth::User> Accounts::check_password(const http::Request& request,
                                                        const web::auth::User& user,
                                                        std::string_view password,
                                                        std::string_view field) const {
    const auto& throttle = auth.throttle();
    if (auto wait = throttle.begin(user.username, request.client_address)) {
        http::HttpError slow(429, "throttled", "Too many wrong passwords. Please try later.",
                             std::string(field));
        slow.retry_after = static_cast<int>(wait->count());
        throw slow;
    }
    std::optional<web::auth::User> checked;
    try {
        checked = auth.users().authenticate(user.username, password);
    } catch (const web::auth::HashingBusy&) {
        throttle.abandoned(user.username, request.client_address);
        http::HttpError busy(503, "busy", "Too many password checks right now. Please try again.");
        busy.retry_after = 1;
        throw busy;
    }
    if (checked) throttle.succeeded(user.username, request.client_address);
    return checked;
}

void Accounts::log_in(http::Request& request, http::Response& response,
                      web::auth::User& user) const {
    auth.login(request, user);
    // A new CSRF secret too (Django's rotate_token): one seen before login is worthless after.
    namespace security = web::security;
    const auto& csrf = *auth.security().csrf;
    security::replace_set_cookie(
        response, security::kCsrfCookie,
        security::set_cookie_value(security::kCsrfCookie, security::new_csrf_secret(),
                                   csrf.options().cookie));
}

void Accounts::flash(const http::Request& request, http::Response& response,
                     std::string_view text) const {
    auth.security().messages->add(request, response, web::security::MessageLevel::Success, text);
}

}  // namespace famigo::apps::accounts
