// The families app's documents: a family (the account the Sandbox launcher
// and the web site share), its kids, each kid's sandbox (the apps the kid may
// open), its devices, the launches they report, the API keys of client apps
// and referrals between families. What each stores is the least the features
// need: a kid has a first name or nickname and a birth year (never a surname
// or a birthday); devices, API keys and invited addresses are stored as
// hashes only, so a copy of the store leaks no credential and no address.
//
// Ids that appear in URLs (families, kids, devices) are 128-bit random
// (new_public_id()), so one family cannot guess another's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "docstore/model.hpp"

namespace famigo::apps::families {

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

// The catalog's age bands (apps/catalog/models.hpp kAgeBands; an app may not
// include another, and a unit test checks the two agree), youngest first.
inline const std::vector<std::string> kAgeBands = {"0-5", "6-8", "9-12", "13+"};
// A kid's age band in `year`: the age is year - birth_year (no birthday is
// stored, so it may be one year high for part of the year).
std::string age_band(int birth_year, int year);
int current_year();

// 22 characters of [A-Za-z0-9_-]: 128 random bits.
std::string new_public_id();

struct Family {
    std::string id;
    std::string email;      // as given (trimmed)
    std::string email_key;  // fold_case(email): the unique, case-insensitive key
    std::string name;
    std::string user_id;  // the web login (users collection) of the family, "" for none
    std::string created_at;
    bool share_sandbox = false;  // opt-in public /family/<id>/sandbox/ page
    std::int64_t credits = 0;    // referrals: one per family that joined through an invite

    static const docstore::Model<Family>& model() {
        static const auto m =
            docstore::Model<Family>("families")
                .field("email", &Family::email,
                       {.required = true, .max_length = 254, .email = true})
                .field("email_key", &Family::email_key, {.required = true, .unique = true})
                .field("name", &Family::name,
                       {.required = true, .min_length = 1, .max_length = 100})
                .field("user_id", &Family::user_id, {.default_value = ""})
                .field("created_at", &Family::created_at, {.required = true})
                .field("share_sandbox", &Family::share_sandbox, {.default_value = false})
                .field("credits", &Family::credits, {.default_value = 0, .min = 0})
                .index("user_id");
        return m;
    }
};

struct Kid {
    std::string id;
    std::string family_id;
    std::string name;  // first name or nickname
    int birth_year = 0;
    std::string created_at;

    static const docstore::Model<Kid>& model() {
        static const auto m =
            docstore::Model<Kid>("kids")
                .reference("family_id", &Kid::family_id, "families", docstore::DeleteRule::Cascade,
                           {.required = true})
                .field("name", &Kid::name, {.required = true, .min_length = 1, .max_length = 40})
                .field("birth_year", &Kid::birth_year, {.required = true, .min = 1900, .max = 2200})
                .field("created_at", &Kid::created_at, {.required = true})
                .index("family_id");
        return m;
    }
};

// One per kid, _id = the kid's id. `version` grows by one on every write: the
// API's ETag, and what a PUT with If-Match must still see.
struct Sandbox {
    std::string id;  // the kid's id
    std::string family_id;
    std::vector<std::string> apps;  // catalog slugs, in the parents' order
    std::int64_t version = 0;
    std::string updated_at;

    static const docstore::Model<Sandbox>& model() {
        static const auto m = docstore::Model<Sandbox>("sandboxes")
                                  .reference("family_id", &Sandbox::family_id, "families",
                                             docstore::DeleteRule::Cascade, {.required = true})
                                  .field("apps", &Sandbox::apps, {.max_length = 500})
                                  .field("version", &Sandbox::version, {.min = 0})
                                  .field("updated_at", &Sandbox::updated_at)
                                  .index("family_id");
        return m;
    }
};

struct Device {
    std::string id;
    std::string family_id;
    std::string device_id;     // the client's own id of the installation
    std::string device_model;  // stored as "model"
    std::string token_hash;    // token_hash() of the Bearer token; the token is never stored
    bool revoked = false;
    std::string created_at;

    static const docstore::Model<Device>& model() {
        static const auto m =
            docstore::Model<Device>("devices")
                .reference("family_id", &Device::family_id, "families",
                           docstore::DeleteRule::Cascade, {.required = true})
                .field("device_id", &Device::device_id,
                       {.required = true, .min_length = 1, .max_length = 128})
                .field("model", &Device::device_model, {.max_length = 128})
                .field("token_hash", &Device::token_hash, {.required = true, .unique = true})
                .field("revoked", &Device::revoked, {.default_value = false})
                .field("created_at", &Device::created_at, {.required = true})
                .index("family_id,device_id", true);
        return m;
    }
};

// _id = launch_id(family_id, event_id): a resent event hits the same _id, so
// it is recorded once however often a device sends it.
struct Launch {
    std::string id;
    std::string family_id;
    std::string device_id;  // Device::id of the sender
    std::string event_id;
    std::string kid_id;
    std::string app;         // catalog slug
    std::string age_band;    // the kid's when it was recorded (recommendations read it)
    std::string started_at;  // as the device sent it (ISO 8601)
    std::int64_t seconds = 0;

    static const docstore::Model<Launch>& model() {
        static const auto m =
            docstore::Model<Launch>("launches")
                .reference("family_id", &Launch::family_id, "families",
                           docstore::DeleteRule::Cascade, {.required = true})
                .field("device_id", &Launch::device_id, {.required = true})
                .field("event_id", &Launch::event_id,
                       {.required = true, .min_length = 1, .max_length = 128})
                .field("kid_id", &Launch::kid_id, {.required = true})
                .field("app", &Launch::app, {.required = true, .max_length = 200})
                .field("age_band", &Launch::age_band)
                .field("started_at", &Launch::started_at, {.required = true, .max_length = 40})
                .field("seconds", &Launch::seconds, {.min = 0, .max = 86400})
                .index("family_id");
        return m;
    }
};

// Launch counts per age band and app (_id "<band>|<slug>"), kept up to date
// as launches are recorded, so recommendations read a few rows, not 1M launches.
struct LaunchCount {
    std::string id;
    std::string age_band;
    std::string app;
    std::int64_t launches = 0;

    static const docstore::Model<LaunchCount>& model() {
        static const auto m = docstore::Model<LaunchCount>("launch_counts")
                                  .field("age_band", &LaunchCount::age_band, {.required = true})
                                  .field("app", &LaunchCount::app, {.required = true})
                                  .field("launches", &LaunchCount::launches, {.min = 0})
                                  .index("age_band,-launches");
        return m;
    }
};

// A client app's key (X-Api-Key); `famigo apikey create|list|revoke`.
struct ApiKey {
    std::string id;
    std::string name;
    std::string prefix;    // the key's first characters, to tell keys apart in `list`
    std::string key_hash;  // token_hash() of the key
    bool revoked = false;
    std::string created_at;

    static const docstore::Model<ApiKey>& model() {
        static const auto m =
            docstore::Model<ApiKey>("api_keys")
                .field("name", &ApiKey::name,
                       {.required = true,
                        .min_length = 1,
                        .max_length = 64,
                        .regex = "^[A-Za-z0-9._-]+$",
                        .unique = true})
                .field("prefix", &ApiKey::prefix, {.required = true})
                .field("key_hash", &ApiKey::key_hash, {.required = true, .unique = true})
                .field("revoked", &ApiKey::revoked, {.default_value = false})
                .field("created_at", &ApiKey::created_at, {.required = true});
        return m;
    }
};

// An invitation from one family to an address. Only a keyed hash of the
// address is stored; the invitation's _id is the secret the link carries.
struct Referral {
    std::string id;
    std::string family_id;   // who invited
    std::string email_hash;  // address_hash() of the invited address
    std::string created_at;
    std::string expires_at;  // created_at + 30 days
    std::string joined_by;   // the family that joined through it, "" until then
    std::string joined_at;

    static const docstore::Model<Referral>& model() {
        static const auto m = docstore::Model<Referral>("referrals")
                                  .reference("family_id", &Referral::family_id, "families",
                                             docstore::DeleteRule::Cascade, {.required = true})
                                  .field("email_hash", &Referral::email_hash, {.required = true})
                                  .field("created_at", &Referral::created_at, {.required = true})
                                  .field("expires_at", &Referral::expires_at, {.required = true})
                                  .field("joined_by", &Referral::joined_by, {.default_value = ""})
                                  .field("joined_at", &Referral::joined_at, {.default_value = ""})
                                  .index("family_id")
                                  .index("joined_by")
                                  .index("email_hash");
        return m;
    }
};

// An answer of POST /api/v1/families kept for its Idempotency-Key: a retry
// with the same key (from the same client app) within the key's lifetime
// gets the same answer. _id = token_hash(api key id + key).
struct IdempotentAnswer {
    std::string id;
    std::string request_hash;  // of the request body: the same key with another body is refused
    int status = 0;
    std::string body;
    std::string expires_at;

    static const docstore::Model<IdempotentAnswer>& model() {
        static const auto m =
            docstore::Model<IdempotentAnswer>("idempotent_answers")
                .field("request_hash", &IdempotentAnswer::request_hash, {.required = true})
                .field("status", &IdempotentAnswer::status, {.required = true})
                .field("body", &IdempotentAnswer::body, {.required = true})
                .field("expires_at", &IdempotentAnswer::expires_at, {.required = true})
                .index("expires_at");
        return m;
    }
};

#pragma GCC diagnostic pop

void register_models(docstore::ModelRegistry& registry);

}  // namespace famigo::apps::families
