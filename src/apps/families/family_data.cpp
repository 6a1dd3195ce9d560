// A family's whole data, for its export and its erasure (families.hpp).
#include "apps/families/families.hpp"
#include "docstore/store.hpp"

namespace famigo::apps::families {

namespace {

// Where a family's data lives: the collection, the field naming the family,
// and the fields an export leaves out (secrets' hashes, internal keys).
// THE EXTENSION POINT: a new collection of family data (applists) is one
// line here; export_family() and erase_family() read only this list.
struct FamilyData {
    const char* collection;
    const char* family_field;
    std::vector<std::string> hidden;
};

const std::vector<FamilyData>& families_data_list() {
    static const std::vector<FamilyData> list = {
        {"kids", "family_id", {"family_id"}},
        {"sandboxes", "family_id", {"family_id"}},
        {"devices", "family_id", {"family_id", "token_hash"}},
        {"launches", "family_id", {"family_id"}},
        {"referrals", "family_id", {"family_id", "email_hash"}},
    };
    return list;
}

}  // namespace

std::optional<docstore::Document> Families::export_family(const std::string& family_id) const {
    auto family = store_.collection("families").get(family_id);
    if (family_id.empty() || !family) return std::nullopt;
    // Exported documents say "id", as the API's answers do, not the store's "_id".
    auto with_id = [](docstore::Document&& doc) {
        docstore::Document out = {{"id", doc["_id"]}};
        doc.erase("_id");
        out.update(doc);
        return out;
    };
    family->erase("email_key");
    docstore::Document out = {{"family", with_id(std::move(*family))}};
    for (const auto& part : families_data_list()) {
        docstore::FindOptions options;
        options.sort = docstore::parse_sort("_id");
        options.projection.exclude = part.hidden;
        docstore::Document items = docstore::Document::array();
        store_.collection(part.collection)
            .scan(docstore::field(part.family_field) == family_id, options,
                  [&](docstore::Document&& doc) {
                      items.push_back(with_id(std::move(doc)));
                      return true;
                  });
        out[part.collection] = std::move(items);
    }
    // The invitation this family joined through, if any (another family's).
    if (auto joined = referral_joined(family_id))
        out["joined_through"] = {{"invited_by", joined->family_id},
                                 {"joined_at", joined->joined_at}};
    return out;
}

bool Families::erase_family(const std::string& family_id) const {
    if (family_id.empty() || !find_family(family_id)) return false;
    for (const auto& part : families_data_list())
        store_.collection(part.collection).remove(docstore::field(part.family_field) == family_id);
    // The invitation it joined through stays with the inviter, without its name.
    store_.collection("referrals")
        .update(docstore::field("joined_by") == family_id,
                docstore::Update().set("joined_by", "deleted"));
    return store_.collection("families").remove(docstore::field("_id") == family_id) > 0;
}

}  // namespace famigo::apps::families
