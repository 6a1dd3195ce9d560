// The settings page of a logged-in user: the email address (changed by a
// link mailed to the new one) and the password (password_views.cpp).
#include "apps/accounts/accounts.hpp"
#include "apps/accounts/views.hpp"
#include "docstore/errors.hpp"
#include "docstore/filter.hpp"
#include "docstore/objects.hpp"
#include "docstore/update.hpp"
#include "http/errors.hpp"
#include "web/auth/auth.hpp"
#include "web/security/form_data.hpp"
#include "web/security/forms.hpp"

namespace famigo::apps::accounts {

using web::auth::User;
using web::security::Field;
using web::security::Form;

Form password_change_form() {
    return Form({
        Field::password("old_password", "Current password").no_strip().max(1024),
        Field::password("new_password1", "New password").no_strip().min(8).max(1024),
        Field::password("new_password2", "New password again").no_strip().max(1024),
    });
}

Form email_change_form() {
    return Form({
        Field::email("email", "New email").max(254),
        Field::password("password", "Current password").no_strip().max(1024),
    });
}

void settings_page(const Accounts& app, http::Request& request, http::Response& response,
                   const User& user, const Form* password_form, const Form* email_form) {
    web::tmpl::Json context = {
        {"email", user.email},
        {"username", user.username},
        {"password_form",
         password_form ? password_form->context() : password_change_form().context()},
        {"email_form", email_form ? email_form->context() : email_change_form().context()},
    };
    app.render(request, response, "accounts/settings.html", std::move(context),
               password_form || email_form ? 400 : 200);
}

void settings_view(const Accounts& app, http::Request& request, http::Response& response) {
    if (auto user = app.require_user(request, response))
        settings_page(app, request, response, *user, nullptr, nullptr);
}

void email_change_view(const Accounts& app, http::Request& request, http::Response& response) {
    auto user = app.require_user(request, response);
    if (!user) return;
    Form form = email_change_form();
    if (form.validate(
            web::security::parse_form(request, app.auth.security().options.form_limits))) {
        std::string email(form.value("email"));
        auto owner = app.emails.owner(email);
        std::optional<User> checked;
        if (fold_email(email) == fold_email(user->email)) {
            form.add_error("email", "This is your email address already.");
        } else if (owner && *owner != user->id) {
            form.add_error("email", "This email address is used by another account.");
        } else {
            checked = app.check_password(request, *user, form.value("password"), "password");
            if (!checked) form.add_error("password", "Your password was entered incorrectly.");
        }
        if (checked) {
            app.send(email, "Confirm your new Famigo email address", "change_email",
                     {{"link", app.link(request, "email-confirm",
                                        app.links.make(LinkPurpose::ChangeEmail, *checked, email,
                                                       unix_now()))},
                      {"login", checked->username},
                      {"hours", app.links.ages().confirm.count() / 3600}});
            app.flash(request, response,
                      "We sent a link to " + email + ". Open it to confirm the change.");
            response.status = 303;
            response.set_header("Location", app.site.router.reverse("account-settings"));
            response.set_header("Cache-Control", "private, no-store");
            return;
        }
    }
    settings_page(app, request, response, *user, nullptr, &form);
}

void email_confirm_view(const Accounts& app, http::Request& request, http::Response& response) {
    const auto& limits = app.auth.security().options.form_limits;
    bool post = request.method == http::Method::Post;
    auto fields = post ? web::security::parse_form(request, limits)
                       : web::security::parse_urlencoded(request.query, limits);
    std::string token(fields.get("token").value_or(""));
    auto checked = app.links.check(LinkPurpose::ChangeEmail, token, app.auth.users(), unix_now());
    if (!checked || !web::security::is_valid_email(checked->extra)) {
        app.notice(request, response, "This link does not work",
                   "The link is invalid, was used already or has expired. Change your address "
                   "again on your settings page to get a new one.",
                   400);
        return;
    }
    const std::string& email = checked->extra;
    if (!post) {
        app.notice(request, response, "Confirm your new address",
                   "Use " + email + " for your Famigo account from now on.", 200,
                   app.site.router.reverse("email-confirm"), token, "Use this address");
        response.set_header("Referrer-Policy", "no-referrer");
        return;
    }
    User& user = checked->user;
    try {
        app.emails.claim(email, user.id);
    } catch (const docstore::DuplicateKey&) {
        app.notice(request, response, "This address is taken",
                   "Another account uses " + email + " now.", 409);
        return;
    }
    docstore::Objects<User>(app.site.store)
        .where(docstore::field("_id") == user.id)
        .update_one(docstore::Update().set("email", email));
    if (fold_email(user.email) != fold_email(email)) app.emails.release(user.email, user.id);
    app.flash(request, response, "Your email address is now " + email + ".");
    response.status = 303;
    response.set_header("Location", app.site.router.reverse("account-settings"));
    response.set_header("Cache-Control", "private, no-store");
}

}  // namespace famigo::apps::accounts
