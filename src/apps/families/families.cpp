// Families, kids and sandboxes (families.hpp); devices, keys and launches are
// in devices.cpp and launches.cpp, referrals in referrals.cpp, export and
// erase in family_data.cpp.
#include "apps/families/families.hpp"

#include <algorithm>
#include <regex>
#include <unordered_set>

#include "core/strings.hpp"
#include "core/time.hpp"
#include "docstore/objects.hpp"
#include "docstore/store.hpp"

namespace famigo::apps::families {

Families::Families(docstore::Store& store, std::string address_key)
    : store_(store), address_key_(std::move(address_key)) {}

std::string Families::now_iso() const {
    return utc_iso8601(clock());
}

namespace {

std::string families_trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

// A kid is 0 to 18 years old in the current year; no birthday is stored.
void families_check_birth_year(int birth_year) {
    const int year = current_year();
    if (birth_year > year || birth_year < year - 18)
        throw docstore::ValidationError(
            "birth_year", "range",
            "must be between " + std::to_string(year - 18) + " and " + std::to_string(year));
}

void families_check_kid_name(std::string_view name) {
    if (name.empty()) throw docstore::ValidationError("name", "required", "must not be empty");
    if (name.size() > 40) throw docstore::ValidationError("name", "max_length", "at most 40 bytes");
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f)
            throw docstore::ValidationError("name", "characters", "no control characters");
}

}  // namespace

// --- families

Families::FamilyResult Families::create_or_get_family(std::string_view email,
                                                      std::string_view name) const {
    Family family;
    family.email = families_trimmed(email);
    family.email_key = docstore::fold_case(family.email);
    family.name = families_trimmed(name);
    if (family.email.empty())
        throw docstore::ValidationError("email", "required", "must not be empty");
    if (auto existing = find_family_by_email(family.email)) return {std::move(*existing), false};
    if (family.name.empty())
        throw docstore::ValidationError("name", "required", "must not be empty");
    family.id = new_public_id();
    family.created_at = now_iso();
    try {
        docstore::Objects<Family>(store_).insert(family);
        return {std::move(family), true};
    } catch (const docstore::DuplicateKey&) {
        // Another request made it between our look and our insert: theirs wins.
        if (auto existing = find_family_by_email(family.email))
            return {std::move(*existing), false};
        throw;
    }
}

std::optional<Family> Families::find_family(const std::string& id) const {
    if (id.empty()) return std::nullopt;
    return docstore::Objects<Family>(store_).get(id);
}

std::optional<Family> Families::find_family_by_email(std::string_view email) const {
    const std::string key = docstore::fold_case(families_trimmed(email));
    if (key.empty()) return std::nullopt;
    return docstore::Objects<Family>(store_).where(docstore::field("email_key") == key).first();
}

std::optional<Family> Families::find_family_by_user(const std::string& user_id) const {
    if (user_id.empty()) return std::nullopt;
    return docstore::Objects<Family>(store_).where(docstore::field("user_id") == user_id).first();
}

bool Families::set_family_user(const std::string& family_id, const std::string& user_id) const {
    return docstore::Objects<Family>(store_)
               .where(docstore::field("_id") == family_id)
               .update_one(docstore::Update().set("user_id", user_id))
               .matched > 0;
}

bool Families::set_share_sandbox(const std::string& family_id, bool share) const {
    return docstore::Objects<Family>(store_)
               .where(docstore::field("_id") == family_id)
               .update_one(docstore::Update().set("share_sandbox", share))
               .matched > 0;
}

// --- kids

Kid Families::add_kid(const std::string& family_id, std::string_view name, int birth_year) const {
    Kid kid;
    kid.family_id = family_id;
    kid.name = families_trimmed(name);
    families_check_kid_name(kid.name);
    families_check_birth_year(birth_year);
    kid.birth_year = birth_year;
    kid.id = new_public_id();
    kid.created_at = now_iso();
    docstore::Objects<Kid>(store_).insert(kid);
    return kid;
}

std::vector<Kid> Families::kids(const std::string& family_id) const {
    return docstore::Objects<Kid>(store_)
        .where(docstore::field("family_id") == family_id)
        .order_by("created_at,_id")
        .all();
}

std::optional<Kid> Families::find_kid(const std::string& family_id,
                                      const std::string& kid_id) const {
    if (family_id.empty() || kid_id.empty()) return std::nullopt;
    return docstore::Objects<Kid>(store_)
        .where(docstore::field("_id") == kid_id && docstore::field("family_id") == family_id)
        .first();
}

std::optional<Kid> Families::update_kid(const std::string& family_id, const std::string& kid_id,
                                        const KidChange& change) const {
    docstore::Update update;
    if (change.name) {
        const std::string name = families_trimmed(*change.name);
        families_check_kid_name(name);
        update.set("name", name);
    }
    if (change.birth_year) {
        families_check_birth_year(*change.birth_year);
        update.set("birth_year", *change.birth_year);
    }
    if (update.empty()) return find_kid(family_id, kid_id);
    return docstore::Objects<Kid>(store_)
        .where(docstore::field("_id") == kid_id && docstore::field("family_id") == family_id)
        .modify(update);
}

bool Families::delete_kid(const std::string& family_id, const std::string& kid_id) const {
    if (family_id.empty() || kid_id.empty()) return false;
    const auto removed = store_.collection("kids").remove(
        docstore::field("_id") == kid_id && docstore::field("family_id") == family_id);
    if (removed == 0) return false;
    store_.collection("sandboxes")
        .remove(docstore::field("_id") == kid_id && docstore::field("family_id") == family_id);
    return true;
}

// --- sandboxes

std::optional<Sandbox> Families::sandbox(const std::string& family_id,
                                         const std::string& kid_id) const {
    if (family_id.empty() || kid_id.empty()) return std::nullopt;
    auto stored =
        docstore::Objects<Sandbox>(store_)
            .where(docstore::field("_id") == kid_id && docstore::field("family_id") == family_id)
            .first();
    if (stored) return stored;
    if (!find_kid(family_id, kid_id)) return std::nullopt;
    Sandbox empty;
    empty.id = kid_id;
    empty.family_id = family_id;
    return empty;
}

Families::PutResult Families::put_sandbox(const std::string& family_id, const std::string& kid_id,
                                          std::vector<std::string> apps,
                                          std::optional<std::int64_t> if_version) const {
    static const std::regex slug_rule("^[a-z0-9][a-z0-9_-]{0,199}$");
    if (apps.size() > kMaxSandboxApps)
        throw docstore::ValidationError("apps", "max_length",
                                        "at most " + std::to_string(kMaxSandboxApps) + " apps");
    std::vector<std::string> unique_apps;
    std::unordered_set<std::string> seen;
    for (std::size_t i = 0; i < apps.size(); ++i) {
        if (!std::regex_match(apps[i], slug_rule))
            throw docstore::ValidationError("apps[" + std::to_string(i) + "]", "slug",
                                            "not an app slug");
        if (seen.insert(apps[i]).second) unique_apps.push_back(std::move(apps[i]));
    }
    if (!find_kid(family_id, kid_id)) return {PutOutcome::NoKid, {}};

    auto& sandboxes = store_.collection("sandboxes");
    docstore::Update update;
    update.set("family_id", family_id)
        .set("apps", docstore::Document(unique_apps))
        .set("updated_at", now_iso())
        .inc("version", 1);
    auto filter = docstore::field("_id") == kid_id && docstore::field("family_id") == family_id;
    std::optional<docstore::Document> stored;
    if (!if_version || *if_version == 0) {
        // Version 0 is the sandbox never written: the first write creates it.
        // With If-Match 0, a sandbox someone already wrote is stale.
        auto filter_new = if_version ? filter && docstore::field("version") == 0 : filter;
        try {
            docstore::FindAndModifyOptions create;
            create.upsert = true;
            stored = sandboxes.find_and_modify(filter_new, update, create);
        } catch (const docstore::DuplicateKey&) {
            stored.reset();  // made by another writer between our look and our write
        }
    } else {
        stored =
            sandboxes.find_and_modify(filter && docstore::field("version") == *if_version, update);
    }
    if (stored) return {PutOutcome::Stored, Sandbox::model().from_document(*stored)};
    auto current = sandbox(family_id, kid_id);
    if (!current) return {PutOutcome::NoKid, {}};
    return {PutOutcome::Stale, std::move(*current)};
}

}  // namespace famigo::apps::families
