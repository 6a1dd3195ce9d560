// The catalog's generation watcher: a thread that reads the catalog generation
// from the store every catalog.watch_interval and, when it moved (an import or
// an editorial update, from any process), invalidates the page-cache namespace
// of the catalog's pages. The generation it last saw also keys the catalog's
// in-process caches (see ListingCache).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace famigo {
namespace docstore {
class Store;
}
namespace cache {
class PageCache;
}
}  // namespace famigo

namespace famigo::apps::catalog {

class GenerationWatcher {
  public:
    // Reads the generation once (a store that is down is retried by the thread).
    GenerationWatcher(docstore::Store& store, cache::PageCache& page_cache, std::string space,
                      std::chrono::milliseconds interval);
    ~GenerationWatcher();  // stops and joins the thread
    GenerationWatcher(const GenerationWatcher&) = delete;
    GenerationWatcher& operator=(const GenerationWatcher&) = delete;

    void start();
    // The generation last seen in the store (0: never imported).
    std::int64_t generation() const;

  private:
    void run();

    docstore::Store& store_;
    cache::PageCache& page_cache_;
    const std::string space_;
    const std::chrono::milliseconds interval_;
    mutable std::mutex mutex_;
    std::condition_variable stop_signal_;
    bool stopping_ = false;
    std::int64_t generation_ = 0;
    std::thread thread_;
};

}  // namespace famigo::apps::catalog
