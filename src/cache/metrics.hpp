// The cache's Prometheus metrics, registered as one collector so each family
// is written once:
//   famigo_cache_hits_total{layer}, famigo_cache_misses_total{layer}
//       layer="store": Cache lookups (fragments, sessions, ...); layer="page":
//       the page cache. Hit ratio = hits / (hits + misses).
//   famigo_cache_fills_total{layer="page"}         pages stored
//   famigo_cache_stale_served_total{reason}        "revalidate" or "error"
//   famigo_cache_fill_waits_total, famigo_cache_fill_wait_timeouts_total
//   famigo_cache_not_modified_total                304s from cached ETags
//   famigo_cache_server_errors_total               backend failures turned into misses
//   famigo_cache_memory_bytes, famigo_cache_memory_items, famigo_cache_evictions_total (memory://)
//   famigo_cache_dead_servers                      (memcached://)
#pragma once

namespace famigo::ops {
class Registry;
}

namespace famigo::cache {

class Cache;
class PageCache;

// Both must outlive the registry's use (they do: serve builds them first).
void add_metrics(ops::Registry& registry, const Cache& cache, const PageCache* page_cache);

}  // namespace famigo::cache
