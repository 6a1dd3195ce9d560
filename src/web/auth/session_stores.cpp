#include "web/auth/session_stores.hpp"

#include "cache/cache.hpp"
#include "docstore/filter.hpp"
#include "docstore/store.hpp"
#include "docstore/update.hpp"

namespace famigo::web::auth {
namespace {

std::string cache_key(std::string_view id) {
    std::string key = "session:";
    key += id;
    return key;
}

}  // namespace

CacheSessionStore::CacheSessionStore(cache::Cache& cache, std::chrono::seconds age)
    : cache_(cache), age_(age) {}

std::optional<nlohmann::json> CacheSessionStore::load(std::string_view id) {
    auto text = cache_.get(cache_key(id));
    if (!text) return std::nullopt;
    auto data = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!data.is_object()) return std::nullopt;
    return data;
}

void CacheSessionStore::save(std::string_view id, const nlohmann::json& data) {
    cache_.set(cache_key(id), data.dump(), age_);
}

void CacheSessionStore::remove(std::string_view id) {
    cache_.del(cache_key(id));
}

DocumentSessionStore::DocumentSessionStore(docstore::Store& store, std::chrono::seconds age,
                                           Clock clock)
    : collection_(store.collection(kCollection)), age_(age), clock_(std::move(clock)) {
    collection_.create_index({"", {{"expires", false}}, false});
}

std::int64_t DocumentSessionStore::now() const {
    if (clock_) return clock_();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<nlohmann::json> DocumentSessionStore::load(std::string_view id) {
    auto doc = collection_.get(std::string(id));
    if (!doc) return std::nullopt;
    auto expires = doc->find("expires");
    auto data = doc->find("data");
    if (expires == doc->end() || !expires->is_number() || expires->get<std::int64_t>() <= now()) {
        remove(id);  // expired (or malformed): delete it now it has been met
        return std::nullopt;
    }
    if (data == doc->end() || !data->is_object()) return std::nullopt;
    return *data;
}

void DocumentSessionStore::save(std::string_view id, const nlohmann::json& data) {
    std::int64_t expires = now() + std::int64_t(age_.count()) * 1000;
    collection_.update(docstore::field("_id") == std::string(id),
                       docstore::Update().set("data", data).set("expires", expires),
                       {.multi = false, .upsert = true});
}

void DocumentSessionStore::remove(std::string_view id) {
    collection_.remove(docstore::field("_id") == std::string(id));
}

std::int64_t DocumentSessionStore::purge_expired() {
    return collection_.remove(docstore::field("expires") <= now());
}

}  // namespace famigo::web::auth
