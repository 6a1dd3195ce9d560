// famigo import: loads the demo catalog (Google Play / App Store CSV exports)
// into the apps collection. The work is apps/catalog/importer.hpp; this file
// is the flags, the progress display and the summary. Also famigo editorial,
// which applies reviewers' fields from a JSON file (apps/catalog/editorial.hpp).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "apps/catalog/editorial.hpp"
#include "apps/catalog/importer.hpp"
#include "apps/catalog/models.hpp"
#include "apps/installed.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/search_update.hpp"
#include "docstore/config.hpp"

namespace famigo::cli {
namespace {

namespace catalog = apps::catalog;
using Clock = std::chrono::steady_clock;

// On a terminal, one line redrawn in place (at most 10 times a second) with a
// bar and rows/s; otherwise a plain line every 2,000 rows.
catalog::ImportProgress progress_display() {
    struct State {
        bool tty = isatty(STDERR_FILENO) != 0;
        std::string file;
        bool finished = false;  // the file's last line is drawn
        Clock::time_point start = Clock::now(), last_draw{};
    };
    auto state = std::make_shared<State>();
    return [state](const std::string& file, std::uint64_t rows, std::uint64_t bytes,
                   std::uint64_t total) {
        auto now = Clock::now();
        if (file != state->file) {
            state->file = file;
            state->finished = false;
            state->start = now;
        }
        if (state->finished) return;
        int percent = total ? int(bytes * 100 / total) : 100;
        if (!state->tty) {
            if (rows % 2000 == 0 && bytes < total)
                std::cerr << "import: " << file << ": " << rows << " rows (" << percent << "%)\n";
            return;
        }
        bool done = bytes >= total;
        if (!done && now - state->last_draw < std::chrono::milliseconds(100)) return;
        state->finished = done;
        state->last_draw = now;
        double seconds = std::chrono::duration<double>(now - state->start).count();
        std::string bar(std::size_t(percent) * 30 / 100, '#');
        bar.resize(30, '.');
        char line[256];
        std::snprintf(line, sizeof line, "\r%s [%s] %3d%% %llu rows, %.0f rows/s\x1b[K%s",
                      file.c_str(), bar.c_str(), percent, static_cast<unsigned long long>(rows),
                      seconds > 0 ? double(rows) / seconds : 0.0, done ? "\n" : "");
        std::cerr << line << std::flush;
    };
}

void print_stats(std::ostream& out, const catalog::FileStats& stats, std::string_view name) {
    out << name << ": " << stats.read << " rows read, " << stats.inserted << " inserted, "
        << stats.updated << " updated, " << stats.unchanged << " unchanged, " << stats.duplicates
        << " duplicates merged, " << stats.rejected << " rejected\n";
}

// The store with every model's collections and indexes in place.
std::unique_ptr<docstore::Store> open_catalog_store(const config::Config& config) {
    auto store = docstore::open_store(docstore::store_options(config));
    docstore::ModelRegistry registry;
    apps::register_models(registry);
    docstore::migrate(*store, registry);
    return store;
}

}  // namespace

int cmd_import(int argc, char** argv, char** envp) {
    Args args(argc, argv);
    bool if_empty = args.flag("--if-empty");
    bool quiet = args.flag("--quiet");
    config::Config config = load_config(args, envp);
    auto paths = args.positional();
    args.finish();
    if (paths.empty())
        throw UsageError("which files? (famigo import [--if-empty] [--quiet] PATH...)");
    std::vector<std::filesystem::path> files;
    try {
        files = catalog::expand_paths(paths);
        for (const auto& file : files) catalog::detect_file(file);
    } catch (const catalog::ImportError& e) {
        std::cerr << "famigo import: " << e.what() << "\n";
        return 1;
    }

    auto store = open_catalog_store(config);
    if (if_empty) {
        auto count = store->collection(catalog::App::model().info().collection).count();
        if (count > 0) {
            std::cout << "the catalog already holds " << count
                      << " apps: nothing imported (--if-empty)\n";
            return 0;
        }
    }

    catalog::ImportOptions options;
    if (!quiet) {
        options.progress = progress_display();
        options.writing = [](std::size_t inserts, std::size_t updates) {
            std::cerr << "import: writing " << inserts << " new and " << updates
                      << " changed apps\n";
        };
    }
    catalog::ImportReport report;
    try {
        report = catalog::import_catalog(*store, files, options);
    } catch (const catalog::ImportError& e) {
        std::cerr << "famigo import: " << e.what() << "\n";
        return 1;
    }
    for (const auto& stats : report.files)
        print_stats(std::cout, stats,
                    std::filesystem::path(stats.file).filename().string() + " (" +
                        std::string(catalog::kind_name(stats.kind)) + ")");
    if (report.files.size() > 1) print_stats(std::cout, report.total(), "total");
    for (const auto& row : report.rejected)
        std::cout << row.file << ":" << row.line << ": rejected: " << row.reason << "\n";
    char timing[128];
    std::snprintf(timing, sizeof timing, "read in %.2f s, written in %.2f s", report.read_seconds,
                  report.write_seconds);
    std::cout << timing << "; ";
    if (report.changed())
        std::cout << "catalog generation now " << report.generation << "\n";
    else
        std::cout << "nothing changed (catalog generation not bumped)\n";
    update_search_index(config, *store, report.changed_ids, quiet, std::cout);
    return 0;
}

int cmd_editorial(int argc, char** argv, char** envp) {
    Args args(argc, argv);
    config::Config config = load_config(args, envp);
    auto paths = args.positional();
    args.finish();
    if (paths.size() != 1) throw UsageError("which file? (famigo editorial PATH)");
    auto store = open_catalog_store(config);
    catalog::EditorialReport report;
    try {
        report = catalog::apply_editorial(*store, paths.front());
    } catch (const catalog::EditorialError& e) {
        std::cerr << "famigo editorial: " << e.what() << " (nothing was changed)\n";
        return 1;
    }
    std::cout << "editorial: " << report.entries << " entries, " << report.updated << " updated, "
              << report.unchanged << " unchanged, " << report.missing.size()
              << " not in the catalog\n";
    for (const auto& id : report.missing)
        std::cout << "editorial: no app with source_id '" << id
                  << "' (import the store data first)\n";
    if (report.generation) std::cout << "catalog generation now " << report.generation << "\n";
    update_search_index(config, *store, report.changed_ids, true, std::cout);
    return 0;
}

}  // namespace famigo::cli
