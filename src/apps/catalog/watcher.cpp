#include "apps/catalog/watcher.hpp"

#include "apps/catalog/generation.hpp"
#include "cache/page/page_cache.hpp"
#include "core/log.hpp"
#include "docstore/errors.hpp"

namespace famigo::apps::catalog {

GenerationWatcher::GenerationWatcher(docstore::Store& store, cache::PageCache& page_cache,
                                     std::string space, std::chrono::milliseconds interval)
    : store_(store), page_cache_(page_cache), space_(std::move(space)), interval_(interval) {
    try {
        generation_ = read_generation(store_);
    } catch (const docstore::Unavailable& e) {  // the thread reads it once the store is back
        log::warn(std::string("catalog: store unreachable at start: ") + e.what());
    }
}

GenerationWatcher::~GenerationWatcher() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stop_signal_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void GenerationWatcher::start() {
    thread_ = std::thread([this] { run(); });
}

std::int64_t GenerationWatcher::generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

void GenerationWatcher::run() {
    std::unique_lock lock(mutex_);
    while (!stop_signal_.wait_for(lock, interval_, [this] { return stopping_; })) {
        lock.unlock();
        std::int64_t seen = 0;
        try {
            seen = read_generation(store_);
        } catch (const std::exception& e) {
            log::warn(std::string("catalog: cannot read the catalog generation: ") + e.what());
            lock.lock();
            continue;
        }
        lock.lock();
        if (seen == generation_) continue;
        generation_ = seen;
        lock.unlock();
        page_cache_.invalidate(space_);
        log::info("catalog: generation " + std::to_string(seen) + ", cached pages invalidated");
        lock.lock();
    }
}

}  // namespace famigo::apps::catalog
