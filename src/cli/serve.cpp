// `famigo serve`: wires the components in dependency order and runs the server.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "apps/catalog/search_docs.hpp"
#include "apps/installed.hpp"
#include "apps/site/debug_form.hpp"
#include "assets/static_files.hpp"
#include "cache/debug_routes.hpp"
#include "cache/factory.hpp"
#include "cache/metrics.hpp"
#include "cache/page/conditional_get.hpp"
#include "cache/page/page_cache.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/task_wiring.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "docstore/backup_drill.hpp"
#include "docstore/config.hpp"
#include "docstore/errors.hpp"
#include "docstore/filter.hpp"
#include "docstore/store.hpp"
#include "http/app.hpp"
#include "http/middlewares.hpp"
#include "http/query_check.hpp"
#include "http/server.hpp"
#include "ops/debug_routes.hpp"
#include "ops/health.hpp"
#include "ops/metrics.hpp"
#include "search/service.hpp"
#include "tasks/beat.hpp"
#include "tasks/factory.hpp"
#include "tasks/metrics.hpp"
#include "web/auth/auth.hpp"
#include "web/security/web_security.hpp"

namespace famigo::cli {
namespace {

// static.url as a route prefix: "/static/" (a CDN prefix only changes generated links).
std::string static_files_url_prefix(const config::Config& config) {
    std::string prefix = assets::asset_options(config).url;
    if (prefix.empty() || prefix.front() != '/')
        throw ConfigError("config key 'static.url' (from " + config.origin("static.url") +
                          "): must be a path starting with '/'");
    return prefix;
}

// Nothing lost: an empty index beside a catalog that has apps (a fresh
// clone whose import ran before search existed, a restored store, a new
// search.url) is built before the server listens, so search answers at once.
// An unavailable index is logged; /readyz says so.
void ensure_search_index(search::Service& service, docstore::Store& store) {
    try {
        auto& index = service.index();
        if (index.stats().documents > 0) return;
        auto published = store.collection(apps::catalog::App::model().info().collection)
                             .count(docstore::field("published") == true);
        if (published == 0) return;
        log::info("search: the index is empty; building it from " + std::to_string(published) +
                  " apps");
        auto report = apps::catalog::index_catalog(store, index);
        log::info("search: " + std::to_string(report.documents) + " apps indexed in " +
                  std::to_string(report.seconds) + " s");
    } catch (const std::exception& e) {
        log::warn(std::string("search: index not checked at start: ") + e.what());
    }
}

}  // namespace

int cmd_serve(int argc, char** argv, char** envp) {
    Args args(argc, argv);
    std::vector<config::Override> extra;
    if (auto listen = args.value("--listen"))
        extra.push_back({"server.listen", *listen, "flag --listen"});
    if (auto fastcgi = args.value("--fastcgi")) {
        extra.push_back({"server.listen", *fastcgi, "flag --fastcgi"});
        extra.push_back({"server.protocol", "fastcgi", "flag --fastcgi"});
    }
    config::Config config = load_config(args, envp, std::move(extra));
    args.finish();

    log::set_level(log::parse_level(config.str("log.level")));
    http::ServerOptions server_options = http::server_options(config);
    http::HttpOptions http_options = http::http_options(config);
    // Built early: the test routes and the middleware below use it. It warns
    // when security.secret_key is empty and a per-process key was made up.
    auto security = web::security::WebSecurity::from_config(config);

    // The cache before the app: the page cache middleware (and later views) use
    // it, so it is built first and destroyed last.
    std::unique_ptr<cache::Cache> cache = cache::make_cache(config);
    cache::PageCacheOptions page_options = cache::page_cache_options(config);
    // auth: requests without a session or messages cookie count as anonymous
    // (whatever other cookies, such as csrftoken, they carry).
    page_options.is_anonymous = web::auth::anonymous_rule(web::auth::session_options(config));
    auto page_cache = std::make_shared<cache::PageCache>(*cache, std::move(page_options));
    log::info("cache: " + cache->describe() +
              (page_cache->answers_inline() ? " (page cache hits on the I/O threads)" : ""));

    // The document store, likewise built before the app. Readiness pings it, so
    // a load balancer stops sending traffic while it is unreachable.
    std::unique_ptr<docstore::Store> store = docstore::open_store(docstore::store_options(config));
    log::info("store: " + std::string(store->backend()));  // not the URL: it may hold a password
    // Every app's models, their collections and indexes created (idempotent).
    // An unreachable store must not stop the server: /readyz reports it, and
    // `famigo migrate` (run at deploy) creates the indexes.
    docstore::ModelRegistry models;
    apps::register_models(models);  // every installed app's (src/apps/installed.cpp)
    try {
        docstore::migrate(*store, models);
    } catch (const docstore::Unavailable& e) {
        log::warn(std::string("store unreachable at start, indexes not checked: ") + e.what());
    }

    http::App app;
    ops::Registry registry;
    ops::Health health;
    health.add_probe("store", [&store]() -> std::optional<std::string> {
        store->ping();  // throws docstore::Unavailable; Health turns that into a problem line
        return std::nullopt;
    });
    // The task broker (SQLite beside the store, or Redis): readiness pings
    // it, /metrics shows its queues, and unless tasks.workers = 0 (separate
    // `famigo worker` processes) a pool of worker threads runs its tasks here.
    std::unique_ptr<tasks::Broker> broker = tasks::make_broker(config);
    log::info("tasks: " + broker->describe());
    health.add_probe("broker", [&broker]() -> std::optional<std::string> {
        broker->ping();  // throws tasks::BrokerUnavailable
        return std::nullopt;
    });
    registry.add_collector(
        [&broker](ops::Exposition& out) { tasks::collect_queues(*broker, out); });
    // The age of the newest backup whose restore drill passed (famigo.backup),
    // for alerting from Prometheus as `famigo check backup` does from Nagios.
    registry.add_collector([dir = docstore::backup_policy(config).dir](ops::Exposition& out) {
        auto last = docstore::last_verified_backup(dir);
        out.family("famigo_backup_last_verified_timestamp_seconds", "gauge",
                   "when the newest backup's restore drill passed (unix time; 0: none)");
        out.sample("famigo_backup_last_verified_timestamp_seconds", {},
                   last
                       ? std::chrono::duration<double>(last->verified_at.time_since_epoch()).count()
                       : 0.0);
    });
    // Site search: opened on first use, so serve starts while Solr is down.
    // /readyz shows the index but never fails for it (search down must not
    // take the other pages out of the load balancer); /metrics counts queries.
    search::Service site_search(search::search_settings(config),
                                apps::catalog::app_search_schema());
    log::info("search: " + site_search.url());
    ensure_search_index(site_search, *store);
    health.add_info("search", [&site_search] { return site_search.status(); });
    registry.add_collector([&site_search](ops::Exposition& out) { site_search.collect(out); });
    tasks::Registry task_registry;
    register_tasks(task_registry, TaskDeps{config, *store, site_search});
    // With beat.in_serve, this server schedules the periodic tasks too (only
    // while it holds the broker's lock, which other servers contend for).
    std::unique_ptr<tasks::BeatThread> beat;
    if (config.boolean("beat.in_serve"))
        beat = std::make_unique<tasks::BeatThread>(*broker, tasks::beat_options(config));
    std::unique_ptr<tasks::WorkerPool> task_pool;
    if (config.integer("tasks.workers") > 0) {
        task_pool = std::make_unique<tasks::WorkerPool>(*broker, task_registry,
                                                        tasks::worker_options(config));
        registry.add_collector(
            [pool = task_pool.get()](ops::Exposition& out) { pool->collect(out); });
    }
    health.install(app.router(), registry, ops::metrics_access(config));

    assets::StaticFiles static_files(assets::asset_options(config));
    app.router().add(
        "static", static_files_url_prefix(config) + "<path:file>",
        [&static_files](http::Request& request, http::Response& response) {
            static_files.serve(request, response);
        },
        http::Execution::Inline);
    // auth: sessions, users, login throttling (see docs/auth.md), used by the
    // accounts app's login/logout pages and the `user` template variable.
    // Its security cache (auth.cache_url) is its own: page traffic cannot evict it.
    auto auth = web::auth::Auth::from_config(config, *store, security);
    log::info("auth: sessions and login throttling in " + auth->security_cache()->describe());
    // The product apps share one Site: templates, store, cache, security, auth, router.
    apps::Site site{
        config,       *store,
        models,       *cache,
        *page_cache,  static_files,
        security,     *auth,
        app.router(), apps::make_template_engine(config, app.router(), static_files, *cache),
        {},           &site_search,
        {},           [&broker](const mail::Message& message) { enqueue_mail(*broker, message); }};

    app.set_not_found([&site](http::Request& request, http::Response& response) {
        site.not_found(request, response);
    });
    // The one place errors become answers: the friendly page, or the API's JSON error.
    app.set_error_handler(
        [&site](const http::Request& request, http::Response& response, std::exception_ptr error) {
            site.answer_error(request, response, error);
        });
    std::vector<apps::Running> running_apps = apps::install(site);

    if (config.boolean("debug.test_routes")) {
        log::warn("debug.test_routes is on: /_debug/ routes are served");
        ops::install_debug_routes(app.router());
        apps::install_debug_form(app.router(), security);
        cache::install_debug_routes(app.router(), *page_cache);
    }

    http::Server server(server_options, app);
    health.set_draining([&server] { return server.draining(); });

    // Middleware order: before() runs top-down, after() bottom-up, so metrics and
    // the access log (first) see the final answer of every request.
    app.use(std::make_shared<ops::RequestMetrics>(app.router(), registry, server.stats()));
    ops::add_process_collector(registry);
    if (!http_options.access_log.empty())
        app.use(std::make_shared<http::AccessLogMiddleware>(http_options.access_log));
    app.use(std::make_shared<http::RequestIdMiddleware>(http_options.trusted_proxies));
    app.use(std::make_shared<http::ProxyMiddleware>(http_options.trusted_proxies));
    app.use(std::make_shared<http::HostMiddleware>(
        http_options.allowed_hosts, http_options.canonical_host, http_options.redirect_hosts));
    // Security headers (and the https redirect) once the Host is known good;
    // CSRF after them, so its 403s carry the headers too.
    app.use(security.headers_middleware);
    // A malformed query string is a 400 on every route, before any cache or view reads it.
    app.use(std::make_shared<http::QueryCheckMiddleware>());
    app.use(security.csrf_middleware);
    // Last, so pages are only cached and served for requests every check above
    // accepted; its after() runs first and sees the view's own answer.
    // ETag/304 for dynamic pages; before the page cache so cached answers get 304s too.
    app.use(std::make_shared<cache::ConditionalGet>());
    app.use(page_cache);
    // auth: after the page cache, so its after() (saving the session, Vary:
    // Cookie, Cache-Control: private) runs first and the page cache sees them.
    app.use(auth->middleware);
    cache::add_metrics(registry, *cache, page_cache.get());

    server.start();
    server.handle_signals();
    if (task_pool) task_pool->start();
    if (beat) beat->start();
    log::info(std::string("listening on ") + (server_options.fastcgi ? "fastcgi://" : "http://") +
              server_options.host + ":" + std::to_string(server.port()) + " with " +
              std::to_string(server_options.io_threads) + " I/O thread(s) and " +
              std::to_string(server_options.workers) + " workers");
    server.wait();
    if (beat) beat->stop();
    if (task_pool && !task_pool->stop()) {
        // A task body outlived tasks.shutdown_grace; its task was handed back.
        log::warn("stopped with a task body still running (its task was handed back)");
        std::fflush(nullptr);
        std::_Exit(0);
    }
    log::info("stopped");
    return 0;
}

}  // namespace famigo::cli
