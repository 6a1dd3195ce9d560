// Where the page cache keeps records and namespace generations, over either
// kind of backend:
//  - ObjectPageStore, for in-process backends (cache::ObjectStore): records
//    stay objects, generations are atomics in this process; never blocks, so
//    hits are answered on the I/O thread.
//  - BytesPageStore, for any cache::Cache (memcached): records are encoded,
//    generations are counters in the cache shared by every host; one lookup is
//    one round trip (the record and its namespace's generation in one get_many).
// A generation is folded into every record at fill; bumping it (one write)
// makes every record of the namespace stale at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "cache/cache.hpp"
#include "cache/page/page_record.hpp"

namespace famigo::cache {

struct PageNamespace {
    explicit PageNamespace(std::string n) : name(std::move(n)), generation_key("pc:gen:" + name) {}
    std::string name;
    std::string generation_key;
    std::atomic<std::uint64_t> local_generation{1};  // ObjectPageStore only
};

class PageStore {
  public:
    virtual ~PageStore() = default;
    virtual bool blocking() const = 0;

    struct Found {
        std::shared_ptr<const PageRecord> record;  // null on a miss
        std::uint64_t generation = 0;              // the namespace's current one
    };
    virtual Found find(std::string_view key, PageNamespace& space) = 0;
    // A second lookup (a variant key) that needs no generation.
    virtual std::shared_ptr<const PageRecord> find_record(std::string_view key) = 0;
    virtual bool store(std::string_view key, std::shared_ptr<const PageRecord> record,
                       std::chrono::milliseconds ttl) = 0;
    virtual std::uint64_t generation(PageNamespace& space) = 0;
    virtual void bump(PageNamespace& space) = 0;
};

class ObjectPageStore final : public PageStore {
  public:
    explicit ObjectPageStore(ObjectStore& objects) : objects_(objects) {}
    bool blocking() const override { return false; }
    Found find(std::string_view key, PageNamespace& space) override;
    std::shared_ptr<const PageRecord> find_record(std::string_view key) override;
    bool store(std::string_view key, std::shared_ptr<const PageRecord> record,
               std::chrono::milliseconds ttl) override;
    std::uint64_t generation(PageNamespace& space) override;
    void bump(PageNamespace& space) override;

  private:
    ObjectStore& objects_;
};

class BytesPageStore final : public PageStore {
  public:
    // now_ms seeds a namespace's generation when the cache has none (first use,
    // or evicted): a fresh value, so records filled before cannot match it.
    BytesPageStore(Cache& cache, std::function<std::int64_t()> now_ms)
        : cache_(cache), now_ms_(std::move(now_ms)) {}
    bool blocking() const override { return cache_.blocking(); }
    Found find(std::string_view key, PageNamespace& space) override;
    std::shared_ptr<const PageRecord> find_record(std::string_view key) override;
    bool store(std::string_view key, std::shared_ptr<const PageRecord> record,
               std::chrono::milliseconds ttl) override;
    std::uint64_t generation(PageNamespace& space) override;
    void bump(PageNamespace& space) override;

  private:
    std::uint64_t seed_generation(PageNamespace& space);

    Cache& cache_;
    std::function<std::int64_t()> now_ms_;
};

// The store for a cache: objects when it has them, bytes otherwise.
std::unique_ptr<PageStore> make_page_store(Cache& cache, std::function<std::int64_t()> now_ms);

}  // namespace famigo::cache
