#include "cache/page/page_store.hpp"

#include <charconv>

namespace famigo::cache {
namespace {

std::optional<std::uint64_t> parse_generation(std::string_view text) {
    std::uint64_t n = 0;
    // memcached may pad a decremented number with spaces; generations only
    // grow, but be lenient anyway.
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return n;
}

}  // namespace

PageStore::Found ObjectPageStore::find(std::string_view key, PageNamespace& space) {
    return {find_record(key), space.local_generation.load(std::memory_order_acquire)};
}

std::shared_ptr<const PageRecord> ObjectPageStore::find_record(std::string_view key) {
    auto object = objects_.get_object(key);
    // Only records are stored under page keys; the cast guards against misuse.
    const auto* record = dynamic_cast<const PageRecord*>(object.get());
    if (!record) return nullptr;
    return std::shared_ptr<const PageRecord>(std::move(object), record);
}

bool ObjectPageStore::store(std::string_view key, std::shared_ptr<const PageRecord> record,
                            std::chrono::milliseconds ttl) {
    return objects_.set_object(key, std::move(record), ttl);
}

std::uint64_t ObjectPageStore::generation(PageNamespace& space) {
    return space.local_generation.load(std::memory_order_acquire);
}

void ObjectPageStore::bump(PageNamespace& space) {
    space.local_generation.fetch_add(1, std::memory_order_acq_rel);
}

PageStore::Found BytesPageStore::find(std::string_view key, PageNamespace& space) {
    const std::string_view keys[] = {key, space.generation_key};
    auto found = cache_.get_many(keys);
    Found out;
    auto record = found.find(std::string(key));
    if (record != found.end()) out.record = decode(record->second);
    auto generation = found.find(space.generation_key);
    std::optional<std::uint64_t> g;
    if (generation != found.end()) g = parse_generation(generation->second);
    out.generation = g ? *g : seed_generation(space);
    return out;
}

std::shared_ptr<const PageRecord> BytesPageStore::find_record(std::string_view key) {
    auto bytes = cache_.get(key);
    return bytes ? decode(*bytes) : nullptr;
}

bool BytesPageStore::store(std::string_view key, std::shared_ptr<const PageRecord> record,
                           std::chrono::milliseconds ttl) {
    return cache_.set(key, encode(*record), ttl);
}

std::uint64_t BytesPageStore::seed_generation(PageNamespace& space) {
    // add() so that two hosts seeding at once agree on one value.
    cache_.add(space.generation_key, std::to_string(now_ms_()), Ttl::forever());
    if (auto text = cache_.get(space.generation_key))
        if (auto g = parse_generation(*text)) return *g;
    // The cache is unreachable: no record can be found either, so any value will do.
    return 0;
}

std::uint64_t BytesPageStore::generation(PageNamespace& space) {
    if (auto text = cache_.get(space.generation_key))
        if (auto g = parse_generation(*text)) return *g;
    return seed_generation(space);
}

void BytesPageStore::bump(PageNamespace& space) {
    if (!cache_.incr(space.generation_key)) seed_generation(space);
}

std::unique_ptr<PageStore> make_page_store(Cache& cache, std::function<std::int64_t()> now_ms) {
    if (ObjectStore* objects = cache.objects()) return std::make_unique<ObjectPageStore>(*objects);
    return std::make_unique<BytesPageStore>(cache, std::move(now_ms));
}

}  // namespace famigo::cache
