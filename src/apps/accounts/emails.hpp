// Email addresses as account names: each address belongs to at most one
// account, whatever its case ("Ann@Example.org" and "ann@example.org" are
// one). The users collection cannot say so itself (accounts made by
// `famigo user create` have no email, and a unique index counts every
// missing value as one), so the accounts app keeps the claims in a
// collection of their own, `account_emails` ({email: folded, user_id}),
// unique on the folded address: two sign-ups racing for one address get one
// account, the other a DuplicateKey. Login by email and password reset look
// the account up here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "docstore/model.hpp"
#include "docstore/store.hpp"

namespace famigo::apps::accounts {

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct EmailClaim {
    std::string id;
    std::string email;  // folded (fold_email)
    std::string user_id;

    static const docstore::Model<EmailClaim>& model() {
        static const auto m =
            docstore::Model<EmailClaim>("account_emails")
                .field("email", &EmailClaim::email,
                       {.required = true, .max_length = 254, .unique = true})
                .field("user_id", &EmailClaim::user_id, {.required = true, .max_length = 64})
                .index("user_id");
        return m;
    }
};

#pragma GCC diagnostic pop

// The address as claims compare it: Unicode case folded.
std::string fold_email(std::string_view email);

class AccountEmails {
  public:
    explicit AccountEmails(docstore::Store& store) : store_(store) {}

    // The id of the account that has `email`, if any.
    std::optional<std::string> owner(std::string_view email) const;
    // Gives `email` to `user_id`; a no-op when it has it already. Throws
    // docstore::DuplicateKey when another account has it.
    void claim(std::string_view email, const std::string& user_id) const;
    // Frees `email` if `user_id` has it.
    void release(std::string_view email, const std::string& user_id) const;
    // Frees every address of `user_id` (an account deleted).
    void release_all(const std::string& user_id) const;

  private:
    docstore::Store& store_;
};

}  // namespace famigo::apps::accounts
