#include "web/auth/users.hpp"

#include "core/time.hpp"
#include "docstore/filter.hpp"
#include "docstore/objects.hpp"
#include "docstore/update.hpp"

namespace famigo::web::auth {
namespace {

bool username_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@' ||
           c == '.' || c == '+' || c == '-' || c == '_';
}

}  // namespace

std::optional<std::string> username_problem(std::string_view username) {
    if (username.empty()) return "This field is required.";
    if (username.size() > 150)
        return "Ensure this value has at most 150 characters (it has " +
               std::to_string(username.size()) + ").";
    for (char c : username)
        if (!username_char(c))
            return "Enter a valid username. This value may contain only letters, numbers, and "
                   "@/./+/-/_ characters.";
    return std::nullopt;
}

Users::Users(docstore::Store& store, const security::PasswordHasher& hasher,
             const HashingGate* gate)
    : store_(store), hasher_(hasher), gate_(gate) {}

User Users::create(std::string_view username, std::string_view email, std::string_view password,
                   bool is_staff) const {
    if (auto problem = username_problem(username))
        throw docstore::ValidationError("username", "regex", *problem);
    User user;
    user.username = username;
    user.email = email;
    user.password = hasher_.hash(password);
    user.is_staff = is_staff;
    user.date_joined = utc_now_iso();
    docstore::Objects<User>(store_).insert(user);
    return user;
}

bool Users::set_password(std::string_view username, std::string_view password) const {
    auto user = find_by_username(username);
    if (!user) return false;
    set_password(*user, password);
    return true;
}

void Users::set_password(User& user, std::string_view password) const {
    std::optional<HashingGate::Slot> slot;
    if (gate_) slot.emplace(*gate_);
    replace_hash(user, hasher_.hash(password));
}

std::optional<User> Users::find_by_username(std::string_view username) const {
    if (username.empty() || username.size() > 150) return std::nullopt;
    return docstore::Objects<User>(store_)
        .where(docstore::field("username") == std::string(username))
        .first();
}

std::optional<User> Users::get(const std::string& id) const {
    return docstore::Objects<User>(store_).get(id);
}

std::optional<User> Users::authenticate(std::string_view username,
                                        std::string_view password) const {
    auto user = find_by_username(username);
    // Held through the verification and a re-hash: each holds the hash's memory.
    std::optional<HashingGate::Slot> slot;
    if (gate_) slot.emplace(*gate_);
    if (!user) {
        std::call_once(dummy_once_,
                       [this] { dummy_hash_ = hasher_.hash("famigo-dummy-password"); });
        (void)hasher_.verify(password, dummy_hash_);
        return std::nullopt;
    }
    auto check = hasher_.verify(password, user->password);
    if (!check.ok || !user->is_active) return std::nullopt;
    if (check.needs_upgrade) replace_hash(*user, hasher_.hash(password));
    return user;
}

void Users::record_login(User& user) const {
    user.last_login = utc_now_iso();
    docstore::Objects<User>(store_)
        .where(docstore::field("_id") == user.id)
        .update_one(docstore::Update().set("last_login", *user.last_login));
}

void Users::replace_hash(User& user, std::string hash) const {
    user.password = std::move(hash);
    docstore::Objects<User>(store_)
        .where(docstore::field("_id") == user.id)
        .update_one(docstore::Update().set("password", user.password));
}

}  // namespace famigo::web::auth
