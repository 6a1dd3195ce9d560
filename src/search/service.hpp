// The site's handle on its search index (`search.url`), shared in one process
// by the search page, the API, the autocomplete, the index task, /readyz and
// /metrics. The index is opened on first use, and again after a failed open,
// so `famigo serve` starts while Solr is down and search comes back when Solr
// does; meanwhile every call throws Unavailable (the page says search is
// unavailable, the API answers 503, nothing else is affected). Queries are
// counted and timed by kind ("search", "autocomplete") for /metrics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "search/factory.hpp"

namespace famigo::ops {
class Exposition;
}

namespace famigo::search {

enum class QueryKind { search, autocomplete };

class Service {
  public:
    Service(SearchSettings settings, Schema schema);
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    // The open index; throws Unavailable.
    Index& index();
    // index().query(), counted and timed.
    Result query(const Query& query, QueryKind kind = QueryKind::search);
    const std::string& url() const { return settings_.url; }

    // "xapian://var/search: 16856 documents, generation gen-..." or why not.
    std::string status();
    // Prometheus families: famigo_search_up, famigo_search_documents,
    // famigo_search_queries_total{kind}, famigo_search_errors_total{kind},
    // famigo_search_query_seconds{kind} (histogram).
    void collect(ops::Exposition& out);

    static constexpr std::array<double, 8> kBuckets = {0.001, 0.0025, 0.005, 0.01,
                                                       0.025, 0.05,   0.1,   0.5};

  private:
    struct Counters {
        std::atomic<std::uint64_t> count{0};
        std::atomic<std::uint64_t> errors{0};
        std::atomic<std::uint64_t> micros{0};  // summed latency
        std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};
    };
    Counters& counters(QueryKind kind) {
        return kind == QueryKind::search ? search_ : autocomplete_;
    }

    SearchSettings settings_;
    Schema schema_;
    std::mutex mutex_;  // index_ while it is opened
    std::unique_ptr<Index> index_;
    Counters search_, autocomplete_;
};

}  // namespace famigo::search
