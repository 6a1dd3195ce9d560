#include "apps/accounts/emails.hpp"

#include "docstore/errors.hpp"
#include "docstore/filter.hpp"
#include "docstore/objects.hpp"
#include "docstore/value.hpp"

namespace famigo::apps::accounts {

std::string fold_email(std::string_view email) {
    return docstore::fold_case(email);
}

std::optional<std::string> AccountEmails::owner(std::string_view email) const {
    if (email.empty() || email.size() > 254) return std::nullopt;
    auto claim = docstore::Objects<EmailClaim>(store_)
                     .where(docstore::field("email") == fold_email(email))
                     .first();
    if (!claim) return std::nullopt;
    return claim->user_id;
}

void AccountEmails::claim(std::string_view email, const std::string& user_id) const {
    EmailClaim claim{.id = {}, .email = fold_email(email), .user_id = user_id};
    try {
        docstore::Objects<EmailClaim>(store_).insert(claim);
    } catch (const docstore::DuplicateKey&) {
        if (owner(email) != user_id) throw;
    }
}

void AccountEmails::release(std::string_view email, const std::string& user_id) const {
    docstore::Objects<EmailClaim>(store_)
        .where(docstore::field("email") == fold_email(email) &&
               docstore::field("user_id") == user_id)
        .remove();
}

void AccountEmails::release_all(const std::string& user_id) const {
    docstore::Objects<EmailClaim>(store_).where(docstore::field("user_id") == user_id).remove();
}

}  // namespace famigo::apps::accounts
