// How `famigo import` and `famigo editorial` keep the search index true after
// they change apps: when the index is empty (the first import) they build it
// whole, right there; otherwise they send the changed app ids to the task
// queue (famigo.search.index_apps, 500 ids a task), which `famigo serve`'s
// worker threads or `famigo worker` run. When the broker is down they index
// inline, so nothing is lost; when the index itself is unavailable they say so
// and that `famigo reindex` restores it.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace famigo::docstore {
class Store;
}

namespace famigo::cli {

void update_search_index(const config::Config& config, docstore::Store& store,
                         const std::vector<std::string>& changed_ids, bool quiet,
                         std::ostream& out);

}  // namespace famigo::cli
