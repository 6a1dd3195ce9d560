#include "apps/accounts/views.hpp"

#include "apps/accounts/accounts.hpp"
#include "apps/site/site.hpp"
#include "web/auth/auth.hpp"
#include "web/security/csrf.hpp"
#include "web/security/form_data.hpp"
#include "web/security/forms.hpp"
#include "web/template/value.hpp"

namespace famigo::apps::accounts {
namespace {

namespace security = web::security;
using security::Field;
using security::Form;
using web::auth::Auth;

Form login_form() {
    return Form({
        Field::text("username", "Email or username").max(254),
        Field::password("password", "Password").no_strip(),
        Field::hidden("next").optional(),
    });
}

std::string lockout_text(std::chrono::seconds wait) {
    auto count = wait.count() < 60 ? wait.count() : (wait.count() + 59) / 60;
    std::string unit = wait.count() < 60 ? " second" : " minute";
    return "Too many failed login attempts. Please try again in " + std::to_string(count) + unit +
           (count == 1 ? "." : "s.");
}

void render_login(const Accounts& app, http::Request& request, http::Response& response,
                  const Form& form, std::string_view next, int status) {
    app.render(request, response, "accounts/login.html",
               {{"form", form.context()}, {"next", std::string(next)}}, status);
}

}  // namespace

void login_view(const Accounts& app, http::Request& request, http::Response& response) {
    const Auth& auth = app.auth;
    Form form = login_form();
    std::string next;
    if (request.method != http::Method::Post) {
        auto query = security::parse_urlencoded(request.query, auth.security().options.form_limits);
        next = std::string(query.get("next").value_or(""));
        render_login(app, request, response, form, next, 200);
        return;
    }
    // A malformed or oversized body throws BadForm: the Site's error handler answers it.
    security::FormData data = security::parse_form(request, auth.security().options.form_limits);
    next = std::string(data.get("next").value_or(""));
    if (!form.validate(data)) {
        render_login(app, request, response, form, next, 200);
        return;
    }
    // An account's email names it as well as its username does; the throttle
    // counts per account, however it was named.
    auto account = app.find_login(form.value("username"));
    std::string username = account ? account->username : std::string(form.value("username"));
    std::string_view address = request.client_address;
    const auto& throttle = auth.throttle();
    // The attempt is counted before the password is looked at, so simultaneous
    // guesses cannot slip past the limit; a refused one is never checked (a
    // right guess while throttled must not be confirmed).
    if (auto wait = throttle.begin(username, address)) {
        form.add_error("", lockout_text(*wait));
        render_login(app, request, response, form, next, 429);
        response.set_header("Retry-After", std::to_string(wait->count()));
        return;
    }
    std::optional<web::auth::User> user;
    try {
        user = auth.users().authenticate(username, form.value("password"));
    } catch (const web::auth::HashingBusy&) {
        // Every hashing slot stayed taken: a burst of logins. Not the
        // client's failure, so the attempt does not count.
        throttle.abandoned(username, address);
        form.add_error("", "Too many people are logging in right now. Please try again.");
        render_login(app, request, response, form, next, 503);
        response.set_header("Retry-After", "1");
        return;
    }
    if (!user) {
        form.add_error("", std::string(kLoginError));
        render_login(app, request, response, form, next, 200);
        return;
    }
    throttle.succeeded(username, address);
    app.log_in(request, response, *user);
    auth.security().messages->add(request, response, security::MessageLevel::Success,
                                  "Welcome back, " + user->username + ".");
    response.status = 303;
    response.set_header("Location", safe_next(next));
    response.set_header("Cache-Control", "private, no-store");
}

void logout_view(const Accounts& app, http::Request& request, http::Response& response) {
    app.auth.logout(request);
    response.status = 303;
    response.set_header("Location", "/");
    response.set_header("Cache-Control", "private, no-store");
}

std::string safe_next(std::string_view next) {
    if (next.empty() || next.front() != '/' || next.size() > 2000) return "/";
    if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return "/";
    for (unsigned char c : next)
        if (c < 0x21 || c == 0x7F || c == '\\' || c >= 0x80) return "/";
    return std::string(next);
}

}  // namespace famigo::apps::accounts
