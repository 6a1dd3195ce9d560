// Users, in the `users` collection of the document store, with Django's
// fields and rules so migrated accounts fit: username (unique, at most 150
// characters of letters, digits and @.+-_; ASCII, as Django's
// ASCIIUsernameValidator), email, password (the hash string: Argon2id for new
// passwords, Django's pbkdf2_sha256/pbkdf2_sha1/sha1 for migrated ones),
// is_active, is_staff, date_joined and last_login (ISO 8601, UTC).
//
// Users::authenticate() is Django's authenticate(): the user when the
// password is right and the account active; a legacy or weaker hash is
// replaced by a fresh Argon2id one while the plaintext is at hand.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "docstore/model.hpp"
#include "docstore/store.hpp"
#include "web/auth/hashing_gate.hpp"
#include "web/security/passwords.hpp"

namespace famigo::web::auth {

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct User {
    std::string id;
    std::string username;
    std::string email;
    std::string password;  // a hash; never the password
    bool is_active = true;
    bool is_staff = false;
    std::string date_joined;                // "2026-11-28T00:36:56Z"
    std::optional<std::string> last_login;  // none: never logged in

    static const docstore::Model<User>& model() {
        static const auto m =
            docstore::Model<User>("users")
                .field("username", &User::username,
                       {.required = true,
                        .max_length = 150,
                        .regex = "^[A-Za-z0-9@.+_-]+$",
                        .unique = true})
                .field("email", &User::email, {.max_length = 254})
                .field("password", &User::password, {.required = true, .max_length = 256})
                .field("is_active", &User::is_active, {.default_value = true})
                .field("is_staff", &User::is_staff, {.default_value = false})
                .field("date_joined", &User::date_joined, {.required = true})
                .field("last_login", &User::last_login)
                .index("email");
        return m;
    }
};

#pragma GCC diagnostic pop

// Django's username rules; the reason when `username` breaks them.
std::optional<std::string> username_problem(std::string_view username);

class Users {
  public:
    // With a gate, authenticate() hashes only within one of its slots.
    Users(docstore::Store& store, const security::PasswordHasher& hasher,
          const HashingGate* gate = nullptr);

    // Throws docstore::ValidationError (bad username or email) or DuplicateKey.
    User create(std::string_view username, std::string_view email, std::string_view password,
                bool is_staff = false) const;
    // False when there is no such user.
    bool set_password(std::string_view username, std::string_view password) const;
    // Hashes `password` within a hashing slot (HashingBusy when none comes
    // free) and stores it: every session made with the old hash stops
    // authenticating.
    void set_password(User& user, std::string_view password) const;
    std::optional<User> find_by_username(std::string_view username) const;
    std::optional<User> get(const std::string& id) const;
    // The active user whose password this is (upgrading its hash), or nullopt.
    // An unknown username costs one password hash too, so timing does not tell
    // which usernames exist. Throws HashingBusy when the gate has no slot.
    std::optional<User> authenticate(std::string_view username, std::string_view password) const;
    void record_login(User& user) const;

    const security::PasswordHasher& hasher() const { return hasher_; }

  private:
    void replace_hash(User& user, std::string hash) const;

    docstore::Store& store_;
    const security::PasswordHasher& hasher_;
    const HashingGate* gate_;
    // Verified against when the username is unknown; made at the first such login.
    mutable std::once_flag dummy_once_;
    mutable std::string dummy_hash_;
};

}  // namespace famigo::web::auth
