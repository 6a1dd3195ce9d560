// The catalog in site search: how an App becomes a search::Document (the
// fields people search, the keyword fields behind every /browse/ filter, the
// number fields the search page sorts on, the ranking prior), and the two
// writers that keep an index true to the store: index_catalog() builds a whole
// new index beside the current one and swaps it in (`famigo reindex`, the
// first build at serve start), index_apps() updates the apps an import or an
// editorial run changed (the task `famigo.search.index_apps`).
//
// Only published apps are in the index; an app that is unpublished or gone is
// removed from it by index_apps().
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "apps/catalog/models.hpp"
#include "core/error.hpp"
#include "docstore/store.hpp"
#include "search/index.hpp"

namespace famigo::apps::catalog {

// Text fields, most weighted first (the title is the first: autocomplete and
// "did you mean" read it).
inline constexpr std::string_view kSearchTitle = "title";
// Keyword fields: one per /browse/ filter. Values: platform android|ios;
// age_band 0-5|6-8|9-12|13+|none; price free|paid; category the slug;
// ads and in_app_purchases unknown|yes|no; approved yes|no.
// Number fields: rating (0-5), installs, rating_count, newest (days since
// 1970-01-01 of last_updated, 0 when unknown).
search::Schema app_search_schema();

// The prior in 0..1: APProved apps in 0.5..1, the rest in 0..0.5, and within
// each half popularity (log of the rating count: the one popularity number both
// stores give).
double app_search_prior(const App& app);

search::Document app_search_document(const App& app);

// The filters of a /browse/-style choice, as search::Query filters: an age
// band matches that band and the younger ones (as /browse/ does).
std::vector<std::string> age_bands_up_to(std::string_view band);

// Thrown when the index does not hold as many documents as the store has
// published apps after a build.
class IndexCountMismatch : public Error {
  public:
    using Error::Error;
};

// Called after each batch: apps written so far, and how many there are.
using IndexProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct IndexCatalogOptions {
    std::size_t batch_size = 1000;
    IndexProgress progress;
};

struct IndexCatalogReport {
    std::uint64_t apps = 0;       // published apps in the store when the build started
    std::uint64_t indexed = 0;    // documents written
    std::uint64_t documents = 0;  // the new index's document count (stats())
    std::string generation;       // the new index's generation
    double seconds = 0;
};

// Builds a new index of every published app with index.rebuild(), in batches,
// makes it current, then checks the document count against the store: throws
// IndexCountMismatch when they differ (the new index is current by then:
// the message says by how much). search::Unavailable when the index cannot be
// written.
IndexCatalogReport index_catalog(docstore::Store& store, search::Index& index,
                                 const IndexCatalogOptions& options = {});

struct IndexAppsReport {
    std::uint64_t upserted = 0;
    std::uint64_t removed = 0;  // unpublished or no longer in the store
};

// Re-reads the apps with these ids (document _id) from the store and upserts
// them, or removes them from the index when unpublished or missing; commits.
IndexAppsReport index_apps(docstore::Store& store, search::Index& index,
                           std::span<const std::string> app_ids);

}  // namespace famigo::apps::catalog
