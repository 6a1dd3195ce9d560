// `famigo reindex` (a new search index of the whole catalog, swapped in at
// once) and the index update that import and editorial run (search_update.hpp).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "apps/catalog/models.hpp"
#include "apps/catalog/search_docs.hpp"
#include "apps/installed.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/search_update.hpp"
#include "cli/task_wiring.hpp"
#include "docstore/config.hpp"
#include "docstore/store.hpp"
#include "search/factory.hpp"
#include "tasks/factory.hpp"

namespace famigo::cli {
namespace {

namespace catalog = apps::catalog;
using ReindexClock = std::chrono::steady_clock;

// On a terminal, one line redrawn in place (at most 10 times a second) with a
// bar and apps/s; otherwise a plain line every 5,000 apps.
catalog::IndexProgress reindex_progress_display(std::string label) {
    struct State {
        bool tty = isatty(STDERR_FILENO) != 0;
        ReindexClock::time_point start = ReindexClock::now(), last_draw{};
        std::uint64_t last_line = 0;
    };
    auto state = std::make_shared<State>();
    return [state, label](std::uint64_t done, std::uint64_t total) {
        auto now = ReindexClock::now();
        bool finished = done >= total;
        int percent = total ? int(done * 100 / total) : 100;
        if (!state->tty) {
            if (done - state->last_line >= 5000 || (finished && done != state->last_line)) {
                state->last_line = done;
                std::cerr << label << ": " << done << " of " << total << " apps (" << percent
                          << "%)\n";
            }
            return;
        }
        if (!finished && now - state->last_draw < std::chrono::milliseconds(100)) return;
        state->last_draw = now;
        double seconds = std::chrono::duration<double>(now - state->start).count();
        std::string bar(std::size_t(percent) * 30 / 100, '#');
        bar.resize(30, '.');
        char line[256];
        std::snprintf(line, sizeof line,
                      "\rreindex [%s] %3d%% %llu of %llu apps, %.0f apps/s\x1b[K%s", bar.c_str(),
                      percent, static_cast<unsigned long long>(done),
                      static_cast<unsigned long long>(total),
                      seconds > 0 ? double(done) / seconds : 0.0, finished ? "\n" : "");
        std::cerr << line << std::flush;
    };
}

std::unique_ptr<search::Index> open_search_index(const config::Config& config) {
    return search::make_index(search::search_settings(config), catalog::app_search_schema());
}

void print_build(std::ostream& out, const catalog::IndexCatalogReport& report,
                 const search::Index& index) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", report.seconds);
    out << "search: " << report.documents << " apps indexed in " << seconds << " s ("
        << index.describe() << ", generation " << report.generation << ")\n";
}

}  // namespace

int cmd_reindex(int argc, char** argv, char** envp) {
    Args args(argc, argv);
    bool quiet = args.flag("--quiet");
    config::Config config = load_config(args, envp);
    args.finish();
    auto store = docstore::open_store(docstore::store_options(config));
    try {
        auto index = open_search_index(config);
        catalog::IndexCatalogOptions options;
        if (!quiet) options.progress = reindex_progress_display("reindex");
        auto report = catalog::index_catalog(*store, *index, options);
        print_build(std::cout, report, *index);
    } catch (const catalog::IndexCountMismatch& e) {
        std::cerr << "famigo reindex: count check failed: " << e.what() << "\n";
        return 1;
    } catch (const search::Unavailable& e) {
        std::cerr << "famigo reindex: the search index is unavailable: " << e.what()
                  << " (the current index, if any, is unchanged)\n";
        return 1;
    }
    return 0;
}

void update_search_index(const config::Config& config, docstore::Store& store,
                         const std::vector<std::string>& changed_ids, bool quiet,
                         std::ostream& out) {
    std::unique_ptr<search::Index> index;
    try {
        index = open_search_index(config);
        if (index->stats().documents == 0) {
            // A first import: one full build is faster than thousands of upserts.
            catalog::IndexCatalogOptions options;
            if (!quiet) options.progress = reindex_progress_display("import: search index");
            print_build(out, catalog::index_catalog(store, *index, options), *index);
            return;
        }
    } catch (const famigo::Error& e) {  // search::Error, or the count check
        out << "search: the index is unavailable (" << e.what()
            << "); run `famigo reindex` when it is back\n";
        return;
    }
    if (changed_ids.empty()) return;
    constexpr std::size_t kIdsPerTask = 500;
    std::size_t sent = 0;
    try {
        auto broker = tasks::make_broker(config);
        for (; sent < changed_ids.size(); sent += kIdsPerTask) {
            auto end = std::min(changed_ids.size(), sent + kIdsPerTask);
            tasks::Json ids = std::vector<std::string>(changed_ids.begin() + std::ptrdiff_t(sent),
                                                       changed_ids.begin() + std::ptrdiff_t(end));
            tasks::EnqueueOptions options;
            options.max_retries = 10;  // Solr down for a while: keep trying
            broker->enqueue(kIndexAppsTask, tasks::Json::array({ids}), tasks::Json::object(),
                            options);
        }
        out << "search: " << changed_ids.size() << " changed apps sent to the index ("
            << (changed_ids.size() + kIdsPerTask - 1) / kIdsPerTask << " task(s) " << kIndexAppsTask
            << ")\n";
        return;
    } catch (const std::exception& e) {
        out << "search: the task queue is unavailable (" << e.what() << "); indexing here\n";
    }
    try {
        std::vector<std::string> rest(changed_ids.begin() + std::ptrdiff_t(sent),
                                      changed_ids.end());
        auto report = catalog::index_apps(store, *index, rest);
        out << "search: " << report.upserted << " apps indexed, " << report.removed << " removed\n";
    } catch (const search::Error& e) {
        out << "search: the index is unavailable (" << e.what()
            << "); run `famigo reindex` when it is back\n";
    }
}

}  // namespace famigo::cli
