#include "apps/catalog/listing_cache.hpp"

#include <algorithm>

#include "apps/catalog/models.hpp"
#include "apps/catalog/present.hpp"
#include "apps/catalog/query.hpp"
#include "docstore/objects.hpp"

namespace famigo::apps::catalog {
namespace {

// Distinct filter combinations whose counts are kept.
constexpr std::size_t kMaxCachedCounts = 10000;

}  // namespace

ListingCache::ListingCache(docstore::Store& store, docstore::ModelRegistry& models,
                           Generation generation)
    : store_(store), models_(models), generation_(std::move(generation)) {}

std::int64_t ListingCache::count(const ListingQuery& query) {
    ListingQuery filters_only = query;  // the key: filters, not sort or page
    filters_only.sort = "rating";
    filters_only.per_page = 20;
    std::string key = filters_only.query_string(1);
    std::int64_t current = generation_();
    {
        std::lock_guard lock(mutex_);
        if (counts_generation_ != current || counts_.size() >= kMaxCachedCounts) {
            counts_.clear();
            counts_generation_ = current;
        }
        if (auto it = counts_.find(key); it != counts_.end()) return it->second;
    }
    docstore::Objects<App> apps(store_, &models_);
    std::int64_t total = apps.where(listing_filter(query)).count();
    std::lock_guard lock(mutex_);
    if (counts_generation_ == current) counts_.emplace(std::move(key), total);
    return total;
}

nlohmann::json ListingCache::categories() {
    std::int64_t current = generation_();
    {
        std::lock_guard lock(mutex_);
        if (categories_generation_ == current) return categories_;
    }
    docstore::Objects<App> apps(store_, &models_);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& slug : apps.where(docstore::field("published") == true).distinct("category")) {
        if (!slug.is_string() || slug.get<std::string>().empty()) continue;
        out.push_back({{"slug", slug}, {"name", category_name(slug.get<std::string>())}});
    }
    std::sort(out.begin(), out.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
        return a["name"] < b["name"];
    });
    std::lock_guard lock(mutex_);
    categories_ = out;
    categories_generation_ = current;
    return out;
}

}  // namespace famigo::apps::catalog
