#include "apps/accounts/links.hpp"

#include "apps/accounts/emails.hpp"
#include "web/security/web_security.hpp"

namespace famigo::apps::accounts {

AccountLinks::AccountLinks(const web::security::WebSecurity& security, LinkAges ages)
    : confirm_(security.signer("accounts.confirm")),
      reset_(security.signer("accounts.reset")),
      change_email_(security.signer("accounts.change-email")),
      state_(security.signer("accounts.link-state")),
      ages_(ages) {}

const web::security::Signer& AccountLinks::signer(LinkPurpose purpose) const {
    switch (purpose) {
        case LinkPurpose::Confirm:
            return confirm_;
        case LinkPurpose::Reset:
            return reset_;
        case LinkPurpose::ChangeEmail:
            break;
    }
    return change_email_;
}

std::string AccountLinks::state(const web::auth::User& user) const {
    std::string facts = user.password;
    facts += '\x1f';
    facts += user.last_login.value_or("");
    facts += '\x1f';
    facts += user.is_active ? '1' : '0';
    facts += '\x1f';
    facts += fold_email(user.email);
    return state_.signature(facts).substr(0, 22);  // 132 bits
}

std::string AccountLinks::make(LinkPurpose purpose, const web::auth::User& user,
                               std::string_view extra, std::int64_t now_unix) const {
    std::string value = user.id + "|" + state(user) + "|" + std::string(extra);
    return signer(purpose).sign_timestamped(value, now_unix);
}

std::optional<AccountLinks::Checked> AccountLinks::check(LinkPurpose purpose,
                                                         std::string_view token,
                                                         const web::auth::Users& users,
                                                         std::int64_t now_unix) const {
    if (token.empty() || token.size() > 1024) return std::nullopt;
    auto max_age = purpose == LinkPurpose::Reset ? ages_.reset : ages_.confirm;
    auto value = signer(purpose).unsign_timestamped(token, max_age.count(), now_unix);
    if (!value) return std::nullopt;
    auto first = value->find('|');
    auto second = first == std::string::npos ? first : value->find('|', first + 1);
    if (second == std::string::npos) return std::nullopt;
    auto user = users.get(value->substr(0, first));
    if (!user || state(*user) != value->substr(first + 1, second - first - 1)) return std::nullopt;
    return Checked{std::move(*user), value->substr(second + 1)};
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace famigo::apps::accounts
