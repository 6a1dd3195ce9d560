// The links the accounts app mails: confirm a new account, reset a password,
// confirm a new email address. Each is a token in the link's query string:
//
//   USER_ID|STATE|EXTRA:TIMESTAMP:SIGNATURE     (web/security's Signer)
//
// signed with a salt of its own per purpose (a reset token is worthless as a
// confirmation), time-limited (accounts.confirm_link_age,
// accounts.reset_link_age) and single use without any stored state, as
// Django's PasswordResetTokenGenerator: STATE is a keyed hash of what using
// the link changes (the password hash, last_login, is_active, the email), so
// once used, or once the password changed another way, it no longer matches.
// EXTRA is the new address of an email change (empty otherwise).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "web/auth/users.hpp"
#include "web/security/signing.hpp"

namespace famigo::web::security {
struct WebSecurity;
}

namespace famigo::apps::accounts {

enum class LinkPurpose { Confirm, Reset, ChangeEmail };

struct LinkAges {
    std::chrono::seconds confirm{72 * 3600};  // account and email confirmations
    std::chrono::seconds reset{3600};         // password resets
};

class AccountLinks {
  public:
    AccountLinks(const web::security::WebSecurity& security, LinkAges ages);

    std::string make(LinkPurpose purpose, const web::auth::User& user, std::string_view extra,
                     std::int64_t now_unix) const;

    struct Checked {
        web::auth::User user;
        std::string extra;
    };
    // The user and EXTRA when the token is this purpose's, unexpired, and the
    // user is still in the state it was made for; nullopt otherwise (forged,
    // expired, used, or the user deleted).
    std::optional<Checked> check(LinkPurpose purpose, std::string_view token,
                                 const web::auth::Users& users, std::int64_t now_unix) const;

    const LinkAges& ages() const { return ages_; }

  private:
    std::string state(const web::auth::User& user) const;
    const web::security::Signer& signer(LinkPurpose purpose) const;

    web::security::Signer confirm_, reset_, change_email_, state_;
    LinkAges ages_;
};

std::int64_t unix_now();

}  // namespace famigo::apps::accounts
