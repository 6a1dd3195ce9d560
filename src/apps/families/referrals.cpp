// Referrals between families (families.hpp): only a keyed hash of the invited
// address is stored; the invitation's random id is the link's secret.
#include "apps/families/families.hpp"
#include "core/time.hpp"
#include "docstore/objects.hpp"
#include "docstore/store.hpp"
#include "web/security/crypto.hpp"

namespace famigo::apps::families {

std::string Families::address_hash(std::string_view email) const {
    const std::string key = docstore::fold_case(email);
    return web::security::to_hex(web::security::as_view(
        web::security::hmac_sha256(address_key_, "famigo.referral.address:" + key)));
}

std::optional<Referral> Families::invite(const std::string& family_id,
                                         std::string_view email) const {
    if (email.empty() || email.size() > 254 || email.find('@') == std::string_view::npos)
        throw docstore::ValidationError("email", "email", "not an email address");
    if (!find_family(family_id)) return std::nullopt;
    const std::string hash = address_hash(email);
    const std::string now = now_iso();
    if (auto open =
            docstore::Objects<Referral>(store_)
                .where(docstore::field("family_id") == family_id &&
                       docstore::field("email_hash") == hash &&
                       docstore::field("joined_by") == "" && docstore::field("expires_at") > now)
                .first())
        return open;
    Referral referral;
    referral.id = new_public_id();
    referral.family_id = family_id;
    referral.email_hash = hash;
    referral.created_at = now;
    referral.expires_at = utc_iso8601(clock() + kReferralLifetime);
    docstore::Objects<Referral>(store_).insert(referral);
    return referral;
}

Families::JoinOutcome Families::join(const std::string& referral_id,
                                     const std::string& family_id) const {
    auto referral = docstore::Objects<Referral>(store_).get(referral_id);
    if (referral_id.empty() || !referral || !find_family(family_id)) return JoinOutcome::Unknown;
    if (referral->family_id == family_id) return JoinOutcome::Own;
    if (!referral->joined_by.empty()) return JoinOutcome::Used;
    const std::string now = now_iso();
    if (referral->expires_at <= now) return JoinOutcome::Expired;
    if (referral_joined(family_id)) return JoinOutcome::AlreadyReferred;
    // Taken atomically: of two families joining through one link, one wins.
    auto taken =
        store_.collection("referrals")
            .find_and_modify(
                docstore::field("_id") == referral_id && docstore::field("joined_by") == "",
                docstore::Update().set("joined_by", family_id).set("joined_at", now));
    if (!taken) return JoinOutcome::Used;
    auto& families = store_.collection("families");
    for (const auto& id : {referral->family_id, family_id})
        families.update(docstore::field("_id") == id, docstore::Update().inc("credits", 1),
                        {.multi = false});
    return JoinOutcome::Joined;
}

std::vector<Referral> Families::referrals_sent(const std::string& family_id) const {
    return docstore::Objects<Referral>(store_)
        .where(docstore::field("family_id") == family_id)
        .order_by("created_at,_id")
        .all();
}

std::optional<Referral> Families::referral_joined(const std::string& family_id) const {
    if (family_id.empty()) return std::nullopt;
    return docstore::Objects<Referral>(store_)
        .where(docstore::field("joined_by") == family_id)
        .first();
}

}  // namespace famigo::apps::families
