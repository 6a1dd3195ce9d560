#include "cache/page/page_cache.hpp"

#include <algorithm>

#include "cache/hash.hpp"
#include "cache/page/page_rules.hpp"
#include "core/log.hpp"
#include "http/conditional.hpp"
#include "http/router.hpp"

namespace famigo::cache {

// One lookup's findings. Kept in thread-local objects and reused, so the hit
// path allocates nothing once the strings have grown.
struct PageCache::Lookup {
    std::string query;     // the route's canonical form of the query string
    std::string identity;  // of the page: the base identity, or a variant's
    std::string base_identity;
    std::string base_key;
    std::string key;  // where the page lives (== base_key without Vary)
    std::shared_ptr<const PageRecord> page;
    std::uint64_t generation = 0;
    const RoutePolicy* policy = nullptr;
};

// What before() leaves for after() of the same request. before(), the view
// and after() run on one thread without interleaving (App::handle), so a
// thread-local slot tagged with the request's address carries it across.
struct PageCache::Pending {
    const http::Request* request = nullptr;
    bool run_view = false;  // before() let the view run: after() may fill
    bool leader = false;
    std::shared_ptr<SingleFlight<std::shared_ptr<const PageRecord>>::Flight> flight;
    std::string flight_key;
    Lookup look;
};

namespace {

thread_local PageCache::Pending tl_pending;
thread_local PageCache::Lookup tl_inline_lookup;

std::int64_t system_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

bool ignore_query(std::string_view, std::string& canonical) {
    canonical.clear();
    return true;
}

PageCache::PageCache(Cache& cache, PageCacheOptions options)
    : options_(std::move(options)),
      clock_(options_.clock_ms ? options_.clock_ms : system_ms),
      store_(make_page_store(cache, clock_)) {
    if (!options_.is_anonymous) options_.is_anonymous = anonymous_by_headers;
    for (const auto& rule : options_.routes) cache_route(rule.route, rule.ttl, rule.space);
}

PageCache::~PageCache() = default;

void PageCache::cache_route(const std::string& route_name,
                            std::optional<std::chrono::milliseconds> ttl, const std::string& space,
                            QueryKey query_key) {
    if (!valid_namespace(space))
        throw ConfigError("page cache namespace '" + space +
                          "' must be 1-64 letters, digits, "
                          "'-', '_' or '.'");
    routes_[route_name] =
        RoutePolicy{ttl.value_or(options_.default_ttl), &space_named(space), std::move(query_key)};
}

PageNamespace& PageCache::space_named(std::string_view name) {
    std::lock_guard lock(spaces_mutex_);
    auto it = spaces_.find(name);
    if (it == spaces_.end())
        it = spaces_.emplace(std::string(name), std::make_unique<PageNamespace>(std::string(name)))
                 .first;
    return *it->second;
}

void PageCache::invalidate(std::string_view space) {
    store_->bump(space_named(space));
    log::info("page cache: namespace '" + std::string(space) + "' invalidated");
}

const PageCache::RoutePolicy* PageCache::eligible(const http::Request& request) const {
    // Inline routes (static files, health) are cheap already, and must never
    // wait: not on memcached, not on another request's fill.
    if (!options_.enabled || !request.route || request.route->execution != http::Execution::Pool)
        return nullptr;
    if (request.method != http::Method::Get && request.method != http::Method::Head) return nullptr;
    auto it = routes_.find(std::string_view(request.route->name));
    if (it == routes_.end()) return nullptr;
    if (!options_.is_anonymous(request)) return nullptr;
    return &it->second;
}

bool PageCache::lookup(const http::Request& request, const RoutePolicy& policy, Lookup& out) {
    out.policy = &policy;
    out.page = nullptr;
    out.query.clear();
    if (!request.query.empty() &&
        (!policy.query_key || !policy.query_key(request.query, out.query)))
        return false;
    page_identity(request, out.query, out.base_identity);
    page_key(policy.space->name, out.base_identity, out.base_key);
    auto found = store_->find(out.base_key, *policy.space);
    out.generation = found.generation;
    out.key = out.base_key;
    out.identity = out.base_identity;
    const PageRecord* record = found.record.get();
    if (!record || record->identity != out.base_identity) return true;  // a miss, or a collision
    if (record->kind == PageRecord::Kind::Page) {
        out.page = std::move(found.record);
        return true;
    }
    variant_identity(request, out.base_identity, record->vary, out.identity);
    variant_key(out.base_key, out.identity, out.key);
    auto page = store_->find_record(out.key);
    if (page && page->kind == PageRecord::Kind::Page && page->identity == out.identity)
        out.page = std::move(page);
    return true;
}

PageCache::Freshness PageCache::freshness(const Lookup& look, std::int64_t now) const {
    if (!look.page) return Freshness::Missing;
    // An invalidated page is past every window except stale-if-error.
    if (look.page->generation != look.generation) return Freshness::Expired;
    if (now < look.page->fresh_until_ms) return Freshness::Fresh;
    if (now < look.page->fresh_until_ms + options_.stale_while_revalidate.count())
        return Freshness::Stale;
    return Freshness::Expired;
}

bool PageCache::usable_on_error(const PageRecord& page, std::int64_t now) const {
    return now < page.fresh_until_ms + options_.stale_if_error.count();
}

void PageCache::respond(const PageRecord& page, const http::Request& request,
                        http::Response& response) {
    auto if_none_match = request.header("If-None-Match");
    bool not_modified =
        if_none_match && !page.etag.empty() && http::etag_matches_weak(*if_none_match, page.etag);
    response.status = not_modified ? 304 : page.status;
    for (const auto& [name, value] : page.headers)
        if (!not_modified || header_for_not_modified(name)) response.add_header(name, value);
    if (not_modified) {
        counters_.not_modified.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    response.shared_body = page.body;  // shared, not copied
}

bool PageCache::answer_inline(http::Request& request, http::Response& response) {
    if (store_->blocking()) return false;
    const RoutePolicy* policy = eligible(request);
    if (!policy) return false;
    Lookup& look = tl_inline_lookup;
    if (!lookup(request, *policy, look)) return false;
    Freshness state = freshness(look, now());
    if (state == Freshness::Fresh) {
        respond(*look.page, request, response);
        counters_.hits.fetch_add(1, std::memory_order_relaxed);
        look.page.reset();
        return true;
    }
    // A stale page goes out at once while another request refreshes it; the
    // refresh itself needs the pool, so the first one takes the normal path.
    if (state == Freshness::Stale && flights_.in_flight(look.key)) {
        respond(*look.page, request, response);
        counters_.stale_revalidate.fetch_add(1, std::memory_order_relaxed);
        look.page.reset();
        return true;
    }
    look.page.reset();
    return false;
}

void PageCache::abandon(Pending& pending) {
    // A leader whose after() never came (cannot happen through http::App, but
    // a waiter must never hang on it): end its flight empty.
    if (pending.leader && pending.flight)
        flights_.finish(pending.flight_key, pending.flight, nullptr);
    pending.request = nullptr;
    pending.leader = false;
    pending.run_view = false;
    pending.flight.reset();
    pending.look.page.reset();
}

bool PageCache::before(http::Request& request, http::Response& response) {
    Pending& p = tl_pending;
    abandon(p);
    const RoutePolicy* policy = eligible(request);
    if (!policy || !lookup(request, *policy, p.look)) return false;
    p.request = &request;
    const std::int64_t t = now();
    Freshness state = freshness(p.look, t);
    if (state == Freshness::Fresh) {
        respond(*p.look.page, request, response);
        counters_.hits.fetch_add(1, std::memory_order_relaxed);
        return true;
    }
    if (request.method == http::Method::Head) {
        // HEAD never fills: a view may answer it without a body.
        if (state == Freshness::Stale) {
            respond(*p.look.page, request, response);
            counters_.stale_revalidate.fetch_add(1, std::memory_order_relaxed);
            return true;
        }
        counters_.misses.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    auto ticket = flights_.join(p.look.key);
    if (ticket.leader) {
        p.flight_key = p.look.key;
        // Our lookup may predate a fill that ended just before we joined:
        // look again before running the view, or that page is filled twice.
        lookup(request, *policy, p.look);
        if (freshness(p.look, now()) == Freshness::Fresh) {
            respond(*p.look.page, request, response);
            counters_.hits.fetch_add(1, std::memory_order_relaxed);
            flights_.finish(p.flight_key, ticket.flight, p.look.page);
            return true;
        }
        p.leader = true;
        p.flight = std::move(ticket.flight);
        p.run_view = true;
        counters_.misses.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    if (state == Freshness::Stale) {
        respond(*p.look.page, request, response);
        counters_.stale_revalidate.fetch_add(1, std::memory_order_relaxed);
        return true;
    }
    counters_.fill_waits.fetch_add(1, std::memory_order_relaxed);
    auto result = ticket.flight->wait(options_.fill_timeout);
    if (!result) counters_.fill_wait_timeouts.fetch_add(1, std::memory_order_relaxed);
    if (result && *result) {
        const PageRecord& page = **result;
        std::string identity;
        if (page.vary.empty())
            identity = p.look.base_identity;
        else
            variant_identity(request, p.look.base_identity, page.vary, identity);
        if (identity == page.identity) {
            bool stale = page.fresh_until_ms <= now();  // the leader fell back on a stale page
            respond(page, request, response);
            (stale ? counters_.stale_error : counters_.hits)
                .fetch_add(1, std::memory_order_relaxed);
            return true;
        }
    }
    // No page to share (the leader's answer was not cacheable, or it is slow):
    // run the view here; after() may still fill or fall back on a stale page.
    p.run_view = true;
    counters_.misses.fetch_add(1, std::memory_order_relaxed);
    return false;
}

std::shared_ptr<const PageRecord> PageCache::fill(Pending& p, const http::Request& request,
                                                  http::Response& response) {
    if (request.method != http::Method::Get) return nullptr;
    StoreDecision decision = store_decision(response, p.look.policy->ttl, options_.max_body);
    if (!decision.store) return nullptr;
    const std::int64_t t = now();
    auto page = std::make_shared<PageRecord>();
    page->kind = PageRecord::Kind::Page;
    page->generation =
        p.look.generation;  // read before the view ran: an invalidation during it wins
    page->stored_ms = t;
    page->fresh_until_ms = t + decision.ttl.count();
    page->vary = decision.vary;
    page->status = response.status;
    if (page->vary.empty())
        page->identity = p.look.base_identity;
    else
        variant_identity(request, p.look.base_identity, page->vary, page->identity);
    if (!response.shared_body) {
        // The body moves into shared storage; this response sends it from there.
        response.shared_body = std::make_shared<const std::string>(std::move(response.body));
        response.body.clear();
    }
    page->body = response.shared_body;
    if (auto etag = response.header("ETag")) {
        page->etag = *etag;
    } else {
        std::string computed(1, '"');
        append_hex64(computed, hash64(*page->body));
        computed += '"';
        page->etag = std::move(computed);
        response.add_header("ETag", page->etag);
    }
    for (std::size_t i = 0; i < response.header_count(); ++i) {
        const auto& [name, value] = response.header_at(i);
        if (keep_header(name)) page->headers.emplace_back(name, value);
    }

    auto keep_for =
        decision.ttl + std::max(options_.stale_while_revalidate, options_.stale_if_error);
    bool stored;
    if (page->vary.empty()) {
        stored = store_->store(p.look.base_key, page, keep_for);
    } else {
        auto marker = std::make_shared<PageRecord>();
        marker->kind = PageRecord::Kind::Vary;
        marker->identity = p.look.base_identity;
        marker->vary = page->vary;
        marker->generation = page->generation;
        marker->stored_ms = t;
        std::string key;
        variant_key(p.look.base_key, page->identity, key);
        stored = store_->store(key, page, keep_for) &&
                 store_->store(p.look.base_key, std::move(marker), keep_for);
    }
    if (stored)
        counters_.fills.fetch_add(1, std::memory_order_relaxed);
    else
        counters_.store_failures.fetch_add(1, std::memory_order_relaxed);
    return page;
}

void PageCache::after(http::Request& request, http::Response& response) {
    Pending& p = tl_pending;
    if (p.request != &request) return;  // answered inline, or not a cached route
    std::shared_ptr<const PageRecord> result;
    try {
        if (p.run_view) {
            if (response.status >= 500 && p.look.page && usable_on_error(*p.look.page, now())) {
                response.reset();
                respond(*p.look.page, request, response);
                counters_.stale_error.fetch_add(1, std::memory_order_relaxed);
                result = p.look.page;  // waiters fall back on it too
            } else {
                result = fill(p, request, response);
            }
        }
    } catch (const std::exception& e) {
        log::error(std::string("page cache: fill failed: ") + e.what());
    }
    if (p.leader) flights_.finish(p.flight_key, p.flight, std::move(result));
    p.leader = false;
    abandon(p);
}

}  // namespace famigo::cache
