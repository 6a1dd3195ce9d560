// Builds the configured search index and declares the search keys:
//   search.url      where the index is: xapian://rel/path (from the working
//                   directory, like store.url), xapian:///abs/path, or a Solr
//                   core, solr://host:8983/core
//   search.timeout  Solr: how long one request may take ("2s")
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/config.hpp"
#include "search/index.hpp"

namespace famigo::search {

struct SearchSettings {
    std::string url = "xapian://var/search";
    std::chrono::milliseconds timeout{2000};
};

void define_config(config::Schema& schema);
SearchSettings search_settings(const config::Config& config);

// Throws famigo::ConfigError for a URL it cannot use, Unavailable when the
// index cannot be opened.
std::unique_ptr<Index> make_index(const SearchSettings& settings, Schema schema);

}  // namespace famigo::search
