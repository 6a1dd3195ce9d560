#include "cache/metrics.hpp"

#include "cache/cache.hpp"
#include "cache/page/page_cache.hpp"
#include "ops/metrics.hpp"

namespace famigo::cache {
namespace {

double load(const std::atomic<std::uint64_t>& n) {
    return double(n.load(std::memory_order_relaxed));
}

void collect(ops::Exposition& out, const Cache& cache, const PageCache* page) {
    const CacheCounters& c = cache.counters();
    out.family("famigo_cache_hits_total", "counter", "lookups that found a value");
    out.sample("famigo_cache_hits_total", {{"layer", "store"}}, load(c.hits));
    if (page)
        out.sample("famigo_cache_hits_total", {{"layer", "page"}}, load(page->counters().hits));
    out.family("famigo_cache_misses_total", "counter", "lookups that found nothing");
    out.sample("famigo_cache_misses_total", {{"layer", "store"}}, load(c.misses));
    if (page)
        out.sample("famigo_cache_misses_total", {{"layer", "page"}}, load(page->counters().misses));
    out.family("famigo_cache_server_errors_total", "counter",
               "cache backend failures answered as misses");
    out.sample("famigo_cache_server_errors_total", {}, load(c.server_errors));
    if (page) {
        const PageCacheCounters& p = page->counters();
        out.family("famigo_cache_fills_total", "counter", "pages stored after running their view");
        out.sample("famigo_cache_fills_total", {{"layer", "page"}}, load(p.fills));
        out.family("famigo_cache_stale_served_total", "counter",
                   "stale pages served: while one request refreshed them, or instead of an error");
        out.sample("famigo_cache_stale_served_total", {{"reason", "revalidate"}},
                   load(p.stale_revalidate));
        out.sample("famigo_cache_stale_served_total", {{"reason", "error"}}, load(p.stale_error));
        out.family("famigo_cache_fill_waits_total", "counter",
                   "requests that waited for another request to fill the same page");
        out.sample("famigo_cache_fill_waits_total", {}, load(p.fill_waits));
        out.family("famigo_cache_fill_wait_timeouts_total", "counter",
                   "waits for a fill that timed out (the view then ran)");
        out.sample("famigo_cache_fill_wait_timeouts_total", {}, load(p.fill_wait_timeouts));
        out.family("famigo_cache_not_modified_total", "counter", "304 answers from cached ETags");
        out.sample("famigo_cache_not_modified_total", {}, load(p.not_modified));
        out.family("famigo_cache_store_failures_total", "counter",
                   "pages the backend did not keep (too large, or unreachable)");
        out.sample("famigo_cache_store_failures_total", {}, load(p.store_failures));
    }
    for (const BackendMetric& metric : cache.backend_metrics()) {
        out.family(metric.name, metric.type, metric.help);
        out.sample(metric.name, {}, metric.value);
    }
}

}  // namespace

void add_metrics(ops::Registry& registry, const Cache& cache, const PageCache* page_cache) {
    registry.add_collector(
        [&cache, page_cache](ops::Exposition& out) { collect(out, cache, page_cache); });
}

}  // namespace famigo::cache
