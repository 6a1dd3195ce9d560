// Passwords: the reset by mailed link and the change on the settings page.
#include "apps/accounts/accounts.hpp"
#include "apps/accounts/views.hpp"
#include "http/errors.hpp"
#include "web/auth/auth.hpp"
#include "web/security/form_data.hpp"
#include "web/security/forms.hpp"

namespace famigo::apps::accounts {
namespace {

using web::auth::User;
using web::security::Field;
using web::security::Form;

Form new_password_form(std::string_view token) {
    return Form({
        Field::password("new_password1", "New password").no_strip().min(8).max(1024),
        Field::password("new_password2", "New password again").no_strip().max(1024),
        Field::hidden("token").with_initial(std::string(token)).max(1024),
    });
}

bool passwords_match(Form& form) {
    if (form.is_valid() && form.value("new_password1") != form.value("new_password2"))
        form.add_error("new_password2", "The two password fields didn't match.");
    return form.is_valid();
}

[[noreturn]] void hashing_busy() {
    http::HttpError busy(503, "busy", "Too many password checks right now. Please try again.");
    busy.retry_after = 1;
    throw busy;
}

void bad_reset_link(const Accounts& app, http::Request& request, http::Response& response) {
    app.notice(request, response, "This link does not work",
               "The password reset link is invalid, was used already or has expired. Ask for a "
               "new one.",
               400);
}

}  // namespace

void password_reset_view(const Accounts& app, http::Request& request, http::Response& response) {
    Form form({Field::email("email", "Email").max(254)});
    if (request.method != http::Method::Post) {
        app.render(request, response, "accounts/password_reset.html", {{"form", form.context()}});
        return;
    }
    if (!form.validate(
            web::security::parse_form(request, app.auth.security().options.form_limits))) {
        app.render(request, response, "accounts/password_reset.html", {{"form", form.context()}},
                   400);
        return;
    }
    std::string email(form.value("email"));
    std::optional<User> user;
    if (auto id = app.emails.owner(email)) user = app.auth.users().get(*id);
    if (user && user->is_active) {
        app.send(user->email, "Set a new Famigo password", "reset",
                 {{"link", app.link(request, "password-set",
                                    app.links.make(LinkPurpose::Reset, *user, "", unix_now()))},
                  {"login", user->username},
                  {"minutes", app.links.ages().reset.count() / 60}});
    }
    // The same answer whether or not the address has an account.
    app.notice(request, response, "Check your inbox",
               "If an account uses " + email +
                   ", we sent it a link to set a new password. The link works once, for " +
                   std::to_string(app.links.ages().reset.count() / 60) + " minutes.");
}

void password_set_view(const Accounts& app, http::Request& request, http::Response& response) {
    const auto& limits = app.auth.security().options.form_limits;
    bool post = request.method == http::Method::Post;
    auto fields = post ? web::security::parse_form(request, limits)
                       : web::security::parse_urlencoded(request.query, limits);
    std::string token(fields.get("token").value_or(""));
    auto checked = app.links.check(LinkPurpose::Reset, token, app.auth.users(), unix_now());
    if (!checked) return bad_reset_link(app, request, response);
    Form form = new_password_form(token);
    if (post && form.validate(fields) && passwords_match(form)) {
        try {
            app.auth.users().set_password(checked->user, form.value("new_password1"));
        } catch (const web::auth::HashingBusy&) {
            hashing_busy();
        }
        // The new hash ends every session made with the old one, and this link.
        app.flash(request, response, "Your password has been set. You can log in now.");
        response.status = 303;
        response.set_header("Location", app.site.router.reverse("login"));
        response.set_header("Cache-Control", "private, no-store");
        return;
    }
    app.render(request, response, "accounts/password_set.html",
               {{"form", form.context()}, {"login", checked->user.username}}, post ? 400 : 200);
    // The token is in this page's URL: no other site is told it.
    response.set_header("Referrer-Policy", "no-referrer");
}

void password_change_view(const Accounts& app, http::Request& request, http::Response& response) {
    auto user = app.require_user(request, response);
    if (!user) return;
    Form form = password_change_form();
    auto data = web::security::parse_form(request, app.auth.security().options.form_limits);
    if (form.validate(data) && passwords_match(form)) {
        auto checked =
            app.check_password(request, *user, form.value("old_password"), "old_password");
        if (!checked) {
            form.add_error("old_password",
                           "Your old password was entered incorrectly. Please enter it again.");
        } else {
            try {
                app.auth.users().set_password(*checked, form.value("new_password1"));
            } catch (const web::auth::HashingBusy&) {
                hashing_busy();
            }
            // This session goes on under the new hash (a new id); every other
            // session of the user was made with the old one and ends.
            app.log_in(request, response, *checked);
            app.flash(request, response,
                      "Your password has been changed. Your other sessions are logged out.");
            response.status = 303;
            response.set_header("Location", app.site.router.reverse("account-settings"));
            response.set_header("Cache-Control", "private, no-store");
            return;
        }
    }
    settings_page(app, request, response, *user, &form, nullptr);
}

}  // namespace famigo::apps::accounts
