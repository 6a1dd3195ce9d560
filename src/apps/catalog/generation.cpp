#include "apps/catalog/generation.hpp"

#include "core/time.hpp"
#include "docstore/update.hpp"

namespace famigo::apps::catalog {
namespace {

std::int64_t generation_of(const docstore::Document& doc) {
    auto it = doc.find("generation");
    return it != doc.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

}  // namespace

std::int64_t read_generation(docstore::Store& store) {
    auto doc = store.collection("meta").get("catalog");
    return doc ? generation_of(*doc) : 0;
}

std::int64_t bump_generation(docstore::Store& store) {
    docstore::FindAndModifyOptions upsert;
    upsert.upsert = true;
    auto doc = store.collection("meta").find_and_modify(
        docstore::field("_id") == "catalog",
        docstore::Update().inc("generation", 1).set("updated_at", utc_now_iso()), upsert);
    return doc ? generation_of(*doc) : 0;
}

}  // namespace famigo::apps::catalog
