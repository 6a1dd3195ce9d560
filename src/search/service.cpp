#include "search/service.hpp"

#include <chrono>

#include "ops/metrics.hpp"

namespace famigo::search {

Service::Service(SearchSettings settings, Schema schema)
    : settings_(std::move(settings)), schema_(std::move(schema)) {}

Service::~Service() = default;

Index& Service::index() {
    std::lock_guard lock(mutex_);
    if (!index_) index_ = make_index(settings_, schema_);
    return *index_;
}

Result Service::query(const Query& query, QueryKind kind) {
    Counters& c = counters(kind);
    auto started = std::chrono::steady_clock::now();
    try {
        Result result = index().query(query);
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        c.count.fetch_add(1, std::memory_order_relaxed);
        c.micros.fetch_add(std::uint64_t(seconds * 1e6), std::memory_order_relaxed);
        for (std::size_t i = 0; i < kBuckets.size(); ++i)
            if (seconds <= kBuckets[i]) c.buckets[i].fetch_add(1, std::memory_order_relaxed);
        return result;
    } catch (const Unavailable&) {
        c.errors.fetch_add(1, std::memory_order_relaxed);
        throw;
    }
}

std::string Service::status() {
    try {
        Stats stats = index().stats();
        return index().describe() + ": " + std::to_string(stats.documents) +
               " documents, generation " + stats.generation;
    } catch (const Error& e) {
        return settings_.url + ": unavailable: " + e.what();
    }
}

void Service::collect(ops::Exposition& out) {
    std::optional<Stats> stats;
    try {
        stats = index().stats();
    } catch (const Error&) {
        stats.reset();
    }
    out.family("famigo_search_up", "gauge", "1 when the search index answered the scrape");
    out.sample("famigo_search_up", {}, stats ? 1 : 0);
    if (stats) {
        out.family("famigo_search_documents", "gauge", "documents in the search index");
        out.sample("famigo_search_documents", {}, double(stats->documents));
    }
    const std::pair<const char*, Counters*> kinds[] = {{"search", &search_},
                                                       {"autocomplete", &autocomplete_}};
    out.family("famigo_search_queries_total", "counter", "search queries answered, by kind");
    for (const auto& [kind, c] : kinds)
        out.sample("famigo_search_queries_total", {{"kind", kind}}, double(c->count.load()));
    out.family("famigo_search_errors_total", "counter",
               "search queries that found the index unavailable, by kind");
    for (const auto& [kind, c] : kinds)
        out.sample("famigo_search_errors_total", {{"kind", kind}}, double(c->errors.load()));
    out.family("famigo_search_query_seconds", "histogram", "search query latency, by kind");
    for (const auto& [kind, c] : kinds) {
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            std::string le = std::to_string(kBuckets[i]);
            le.erase(le.find_last_not_of('0') + 1);
            out.sample("famigo_search_query_seconds_bucket", {{"kind", kind}, {"le", le}},
                       double(c->buckets[i].load()));
        }
        out.sample("famigo_search_query_seconds_bucket", {{"kind", kind}, {"le", "+Inf"}},
                   double(c->count.load()));
        out.sample("famigo_search_query_seconds_sum", {{"kind", kind}},
                   double(c->micros.load()) / 1e6);
        out.sample("famigo_search_query_seconds_count", {{"kind", kind}}, double(c->count.load()));
    }
}

}  // namespace famigo::search
