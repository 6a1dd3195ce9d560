// families::Families, the C++ API other code calls for the families app's
// data (models.hpp): family accounts, kids, sandboxes, devices and their
// tokens, launches, client API keys, referrals, and a family's whole data
// as one export or one erase. The Sandbox API v1 (api_views.*), the web
// pages and `famigo apikey` all go through it; none writes these collections
// directly.
//
// Every call that reads or changes a family's data takes the family's id
// first and answers "not found" (nullopt, false) when the kid, sandbox or
// device belongs to another family: callers cannot leak one family's data to
// another by passing a foreign id.
//
// Export and erase: the collections that hold a family's data are listed
// once, in kFamilyData (family_data.cpp). A new kind of family data (the
// applists) is one line there: export_family() then includes it and
// erase_family() deletes it.
//
// Thread-safe: every call is a few store operations; uniqueness (one family
// per email, one device per device_id, one launch per event_id) is kept by
// the store's unique indexes, not by locks, so it holds across processes.
#pragma once

#include <cstdint>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apps/families/models.hpp"
#include "docstore/value.hpp"

namespace famigo::docstore {
class Store;
}

namespace famigo::apps::families {

inline constexpr std::size_t kMaxSandboxApps = 500;
inline constexpr std::size_t kMaxLaunchBatch = 500;
inline constexpr std::time_t kReferralLifetime = 30L * 24 * 3600;

// The hash stored for a secret (device token, API key): hex HMAC-SHA256 under
// a fixed label. The secrets are 190+ random bits, so no salt or slow hash is
// needed; the hash only keeps a copy of the store from holding usable secrets.
std::string token_hash(std::string_view secret);

// A launch as a device reports it. `index` is its place in the request's
// batch, which problems name.
struct LaunchEvent {
    std::size_t index = 0;
    std::string event_id;
    std::string kid_id;
    std::string app;
    std::string started_at;
    std::int64_t seconds = 0;
};
struct LaunchProblem {
    std::size_t index = 0;
    std::string field;
    std::string message;
};
struct LaunchReport {
    std::size_t recorded = 0;    // new events stored now
    std::size_t duplicates = 0;  // events already stored (resends)
    std::vector<LaunchProblem> rejected;
};

class Families {
  public:
    // `address_key` keys the hash of invited addresses (security.secret_key),
    // so the stored hashes cannot be matched against a list of addresses
    // without it.
    Families(docstore::Store& store, std::string address_key);

    // Now, for expiry; tests replace it.
    std::function<std::time_t()> clock = [] { return std::time(nullptr); };

    // --- families
    struct FamilyResult {
        Family family;
        bool created = false;  // false: a family with this email (any case) existed
    };
    // The family with this email (compared case-insensitively), made with
    // `name` when there is none. Concurrent calls with one email make one
    // family. ValidationError (field "email" or "name") on bad input.
    FamilyResult create_or_get_family(std::string_view email, std::string_view name) const;
    std::optional<Family> find_family(const std::string& id) const;
    std::optional<Family> find_family_by_email(std::string_view email) const;
    std::optional<Family> find_family_by_user(const std::string& user_id) const;
    // Links the web login `user_id` to the family; false when there is no family.
    bool set_family_user(const std::string& family_id, const std::string& user_id) const;
    bool set_share_sandbox(const std::string& family_id, bool share) const;

    // --- kids (ValidationError "name" / "birth_year" on bad input)
    Kid add_kid(const std::string& family_id, std::string_view name, int birth_year) const;
    std::vector<Kid> kids(const std::string& family_id) const;  // oldest first
    std::optional<Kid> find_kid(const std::string& family_id, const std::string& kid_id) const;
    struct KidChange {
        std::optional<std::string> name;
        std::optional<int> birth_year;
    };
    std::optional<Kid> update_kid(const std::string& family_id, const std::string& kid_id,
                                  const KidChange& change) const;
    // Deletes the kid and its sandbox (its launches stay in the family's history).
    bool delete_kid(const std::string& family_id, const std::string& kid_id) const;

    // --- sandboxes
    // The kid's sandbox (version 0, no apps, when never written); nullopt when
    // the family has no such kid.
    std::optional<Sandbox> sandbox(const std::string& family_id, const std::string& kid_id) const;
    enum class PutOutcome { Stored, NoKid, Stale };
    struct PutResult {
        PutOutcome outcome = PutOutcome::NoKid;
        Sandbox sandbox;  // Stored: the new one; Stale: the current one
    };
    // Replaces the apps (duplicates dropped, order kept) and adds one to the
    // version. With `if_version`, only when the stored version is still that
    // one (Stale otherwise), so two parents' devices never overwrite each
    // other unseen. ValidationError "apps" on more than kMaxSandboxApps or a
    // bad slug.
    PutResult put_sandbox(const std::string& family_id, const std::string& kid_id,
                          std::vector<std::string> apps,
                          std::optional<std::int64_t> if_version) const;

    // --- devices
    struct Registered {
        Device device;
        std::string token;  // the Bearer token, shown once
        bool created = false;
    };
    // Registers the device, or for a device_id the family already has, gives
    // the same device a new token (the old one stops working) and un-revokes
    // it. nullopt when there is no such family.
    std::optional<Registered> register_device(const std::string& family_id,
                                              std::string_view device_id,
                                              std::string_view model) const;
    // The device whose token this is, unless revoked.
    std::optional<Device> device_for_token(std::string_view token) const;
    std::vector<Device> devices(const std::string& family_id) const;
    bool revoke_device(const std::string& family_id, const std::string& device_id) const;

    // --- launches
    // Records the device's events: each event_id once per family (a resend
    // counts as a duplicate, not an error); events naming another family's
    // kid or breaking a rule are rejected by index, the others kept.
    LaunchReport record_launches(const Device& device,
                                 const std::vector<LaunchEvent>& events) const;
    std::int64_t launch_count(const std::string& family_id) const;
    // Catalog apps for the kid's age band that are not in its sandbox:
    // APProved first, then the launches of families with kids of that band,
    // then the rating. Each is {slug, title, approved, rating, launches}.
    // nullopt when the family has no such kid.
    std::optional<std::vector<docstore::Document>> recommendations(const std::string& family_id,
                                                                   const std::string& kid_id,
                                                                   std::size_t limit) const;

    // --- client API keys
    struct NewApiKey {
        ApiKey key;
        std::string secret;  // the X-Api-Key value, shown once
    };
    // DuplicateKey when the name is taken; ValidationError "name".
    NewApiKey create_api_key(std::string_view name) const;
    std::vector<ApiKey> api_keys() const;
    bool revoke_api_key(std::string_view name) const;
    std::optional<ApiKey> api_key_for(std::string_view secret) const;  // unless revoked

    // --- referrals
    // An invitation from the family to `email`; its id is the secret of the
    // invite link. An unexpired, unused invitation of the same address by the
    // same family is returned again rather than doubled. nullopt: no family.
    std::optional<Referral> invite(const std::string& family_id, std::string_view email) const;
    enum class JoinOutcome { Joined, Unknown, Expired, Used, Own, AlreadyReferred };
    // The family joins through the invitation: both get one credit. A family
    // joins through one invitation at most, never its own.
    JoinOutcome join(const std::string& referral_id, const std::string& family_id) const;
    std::vector<Referral> referrals_sent(const std::string& family_id) const;
    std::optional<Referral> referral_joined(const std::string& family_id) const;
    std::string address_hash(std::string_view email) const;

    // --- a family's whole data (kFamilyData, family_data.cpp)
    // {"family": {...}, "kids": [...], "sandboxes": [...], ...}; secrets and
    // their hashes left out. nullopt when there is no such family.
    std::optional<docstore::Document> export_family(const std::string& family_id) const;
    // Deletes the family and every document of kFamilyData that is its.
    bool erase_family(const std::string& family_id) const;

    docstore::Store& store() const { return store_; }

  private:
    std::string now_iso() const;

    docstore::Store& store_;
    std::string address_key_;
};

}  // namespace famigo::apps::families
