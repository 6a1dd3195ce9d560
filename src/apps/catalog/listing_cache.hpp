// Answers the catalog keeps in process until the catalog generation moves:
// how many apps a listing's filters select, and the category list. Counting
// reads every matching index entry (milliseconds on the full catalog) while a
// page reads 20, so counts are kept per filter combination (a bounded number
// of them: crawlers walk every combination).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

namespace famigo::docstore {
class Store;
class ModelRegistry;
}  // namespace famigo::docstore

namespace famigo::apps::catalog {

struct ListingQuery;

class ListingCache {
  public:
    using Generation = std::function<std::int64_t()>;
    ListingCache(docstore::Store& store, docstore::ModelRegistry& models, Generation generation);

    // How many published apps the query's filters select (sort and page aside).
    std::int64_t count(const ListingQuery& query);
    // [{slug, name}] of the categories of published apps, by name.
    nlohmann::json categories();

  private:
    docstore::Store& store_;
    docstore::ModelRegistry& models_;
    const Generation generation_;
    std::mutex mutex_;
    std::int64_t categories_generation_ = -1;
    nlohmann::json categories_;
    std::int64_t counts_generation_ = -1;
    std::unordered_map<std::string, std::int64_t> counts_;  // filter query string -> count
};

}  // namespace famigo::apps::catalog
