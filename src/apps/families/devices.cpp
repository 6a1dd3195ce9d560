// Devices and their Bearer tokens, client API keys (families.hpp).
#include <algorithm>

#include "apps/families/families.hpp"
#include "docstore/objects.hpp"
#include "docstore/store.hpp"
#include "web/security/crypto.hpp"

namespace famigo::apps::families {

std::string token_hash(std::string_view secret) {
    return web::security::to_hex(
        web::security::as_view(web::security::hmac_sha256("famigo.families.secret.v1", secret)));
}

namespace {

// "fd_" + 32 characters of [A-Za-z0-9]: about 190 random bits.
std::string families_new_secret(std::string_view prefix) {
    return std::string(prefix) + web::security::random_string(32, web::security::kAlphanumeric);
}

}  // namespace

// --- devices

std::optional<Families::Registered> Families::register_device(const std::string& family_id,
                                                              std::string_view device_id,
                                                              std::string_view model) const {
    if (device_id.empty() || device_id.size() > 128)
        throw docstore::ValidationError("device_id", "length", "1 to 128 bytes");
    if (model.size() > 128)
        throw docstore::ValidationError("model", "max_length", "at most 128 bytes");
    if (!find_family(family_id)) return std::nullopt;
    Registered out;
    out.token = families_new_secret("fd_");
    auto filter = docstore::field("family_id") == family_id &&
                  docstore::field("device_id") == std::string(device_id);
    docstore::Update update;
    update.set("model", std::string(model))
        .set("token_hash", token_hash(out.token))
        .set("revoked", false);
    auto& devices = store_.collection("devices");
    // Two tries: a concurrent first registration of the same device_id makes
    // our insert a duplicate, and then the update finds theirs.
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (auto doc = devices.find_and_modify(filter, update)) {
            out.device = Device::model().from_document(*doc);
            return out;
        }
        Device device;
        device.id = new_public_id();
        device.family_id = family_id;
        device.device_id = std::string(device_id);
        device.device_model = std::string(model);
        device.token_hash = token_hash(out.token);
        device.created_at = now_iso();
        try {
            docstore::Objects<Device>(store_).insert(device);
            out.device = std::move(device);
            out.created = true;
            return out;
        } catch (const docstore::DuplicateKey&) {
        }
    }
    throw docstore::StoreError("device registration raced twice");
}

std::optional<Device> Families::device_for_token(std::string_view token) const {
    if (token.empty() || token.size() > 200) return std::nullopt;
    return docstore::Objects<Device>(store_)
        .where(docstore::field("token_hash") == token_hash(token) &&
               docstore::field("revoked") == false)
        .first();
}

std::vector<Device> Families::devices(const std::string& family_id) const {
    return docstore::Objects<Device>(store_)
        .where(docstore::field("family_id") == family_id)
        .order_by("created_at,_id")
        .all();
}

bool Families::revoke_device(const std::string& family_id, const std::string& device_id) const {
    if (family_id.empty() || device_id.empty()) return false;
    return store_.collection("devices")
               .update(
                   docstore::field("_id") == device_id && docstore::field("family_id") == family_id,
                   docstore::Update().set("revoked", true), {.multi = false})
               .matched > 0;
}

// --- client API keys

Families::NewApiKey Families::create_api_key(std::string_view name) const {
    NewApiKey out;
    out.secret = families_new_secret("fk_");
    out.key.name = std::string(name);
    out.key.prefix = out.secret.substr(0, 7);
    out.key.key_hash = token_hash(out.secret);
    out.key.created_at = now_iso();
    docstore::Objects<ApiKey>(store_).insert(out.key);
    return out;
}

std::vector<ApiKey> Families::api_keys() const {
    return docstore::Objects<ApiKey>(store_).all().order_by("created_at,name").all();
}

bool Families::revoke_api_key(std::string_view name) const {
    return store_.collection("api_keys")
               .update(docstore::field("name") == std::string(name),
                       docstore::Update().set("revoked", true), {.multi = false})
               .matched > 0;
}

std::optional<ApiKey> Families::api_key_for(std::string_view secret) const {
    if (secret.empty() || secret.size() > 200) return std::nullopt;
    return docstore::Objects<ApiKey>(store_)
        .where(docstore::field("key_hash") == token_hash(secret) &&
               docstore::field("revoked") == false)
        .first();
}

}  // namespace famigo::apps::families
