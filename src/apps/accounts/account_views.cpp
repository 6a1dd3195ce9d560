// Sign-up by email and its confirmation link.
#include "apps/accounts/accounts.hpp"
#include "apps/accounts/views.hpp"
#include "core/time.hpp"
#include "docstore/errors.hpp"
#include "docstore/filter.hpp"
#include "docstore/objects.hpp"
#include "docstore/update.hpp"
#include "http/errors.hpp"
#include "web/auth/auth.hpp"
#include "web/security/form_data.hpp"
#include "web/security/forms.hpp"
#include "web/security/signing.hpp"

namespace famigo::apps::accounts {
namespace {

using web::auth::User;
using web::security::Field;
using web::security::Form;

constexpr std::string_view kCheckInbox =
    "We sent a link to {}. Open it to confirm your account. If the mail does not come, "
    "look in the spam folder or sign up again.";

std::string check_inbox_text(std::string_view email) {
    std::string text(kCheckInbox);
    text.replace(text.find("{}"), 2, email);
    return text;
}

Form signup_form() {
    return Form({
        Field::email("email", "Email").max(254),
        Field::password("password1", "Password").no_strip().min(8).max(1024),
        Field::password("password2", "Password again").no_strip().max(1024),
    });
}

// A username for a new account: its address when that is a valid, free
// username (as Django sites often did), else "family-" and random letters.
std::string new_username(const web::auth::Users& users, std::string_view email) {
    std::string folded = fold_email(email);
    if (!web::auth::username_problem(folded) && !users.find_by_username(folded)) return folded;
    return "family-" + web::security::generate_secret_key().substr(0, 12);
}

// An inactive account: it can log in once its address is confirmed.
User create_inactive(const Accounts& app, std::string_view email, std::string_view password) {
    User user;
    user.email = email;
    user.is_active = false;
    user.date_joined = utc_now_iso();
    {
        web::auth::HashingGate::Slot slot(app.auth.hashing_gate());
        user.password = app.auth.users().hasher().hash(password);
    }
    for (int attempt = 0;; ++attempt) {
        user.username = attempt == 0
                            ? new_username(app.auth.users(), email)
                            : "family-" + web::security::generate_secret_key().substr(0, 12);
        try {
            docstore::Objects<User>(app.site.store).insert(user);
            return user;
        } catch (const docstore::DuplicateKey&) {
            if (attempt == 3) throw;  // a username taken meanwhile: try a random one
        }
    }
}

void send_confirmation(const Accounts& app, const http::Request& request, const User& user) {
    app.send(user.email, "Confirm your Famigo account", "confirm",
             {{"link", app.link(request, "signup-confirm",
                                app.links.make(LinkPurpose::Confirm, user, "", unix_now()))},
              {"hours", app.links.ages().confirm.count() / 3600}});
}

// Someone signed up with an address that has an account: its owner hears of
// it (a new confirmation link if it is not confirmed yet), and the page says
// what it says for a new account, so sign-up does not tell who has one.
void mail_owner(const Accounts& app, const http::Request& request, const std::string& owner_id) {
    auto owner = app.auth.users().get(owner_id);
    if (!owner) return;
    if (!owner->is_active && !owner->last_login) {
        send_confirmation(app, request, *owner);
        return;
    }
    std::string reset = request.secure ? "https://" : "http://";
    reset += request.host();
    reset += app.site.router.reverse("password-reset");
    app.send(owner->email, "Your Famigo account", "exists",
             {{"login", owner->username}, {"reset_url", reset}});
}

}  // namespace

void signup_view(const Accounts& app, http::Request& request, http::Response& response) {
    Form form = signup_form();
    if (request.method != http::Method::Post) {
        app.render(request, response, "accounts/signup.html", {{"form", form.context()}});
        return;
    }
    auto data = web::security::parse_form(request, app.auth.security().options.form_limits);
    if (form.validate(data) && form.value("password1") != form.value("password2"))
        form.add_error("password2", "The two password fields didn't match.");
    if (!form.is_valid()) {
        app.render(request, response, "accounts/signup.html", {{"form", form.context()}}, 400);
        return;
    }
    std::string email(form.value("email"));
    try {
        if (auto owner = app.emails.owner(email)) {
            mail_owner(app, request, *owner);
        } else {
            User user = create_inactive(app, email, form.value("password1"));
            try {
                app.emails.claim(email, user.id);
                send_confirmation(app, request, user);
            } catch (const docstore::DuplicateKey&) {
                // Another sign-up took the address meanwhile: one account only.
                docstore::Objects<User>(app.site.store).remove(user);
            }
        }
    } catch (const web::auth::HashingBusy&) {
        http::HttpError busy(503, "busy",
                             "Too many people are signing up right now. Please try again.");
        busy.retry_after = 1;
        throw busy;
    }
    app.notice(request, response, "Check your inbox", check_inbox_text(email));
}

void confirm_view(const Accounts& app, http::Request& request, http::Response& response) {
    const auto& limits = app.auth.security().options.form_limits;
    bool post = request.method == http::Method::Post;
    auto fields = post ? web::security::parse_form(request, limits)
                       : web::security::parse_urlencoded(request.query, limits);
    std::string token(fields.get("token").value_or(""));
    auto checked = app.links.check(LinkPurpose::Confirm, token, app.auth.users(), unix_now());
    if (!checked) {
        app.notice(request, response, "This link does not work",
                   "The confirmation link is invalid, was used already or has expired. Sign up "
                   "again to get a new one.",
                   400);
        return;
    }
    if (!post) {
        app.notice(request, response, "Confirm your account",
                   "Confirm that " + checked->user.email + " is your address.", 200,
                   app.site.router.reverse("signup-confirm"), token, "Confirm my account");
        response.set_header("Referrer-Policy", "no-referrer");
        return;
    }
    User& user = checked->user;
    docstore::Objects<User>(app.site.store)
        .where(docstore::field("_id") == user.id)
        .update_one(docstore::Update().set("is_active", true));
    user.is_active = true;
    app.log_in(request, response, user);
    app.flash(request, response, "Your email address is confirmed. Welcome to Famigo!");
    response.status = 303;
    response.set_header("Location", "/");
}

}  // namespace famigo::apps::accounts
