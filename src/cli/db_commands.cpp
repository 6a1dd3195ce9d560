// The document store subcommands: db (find, count, indexes), migrate, backup,
// restore (each opens the store named by store.url) and store copy (two URLs).
#include <unistd.h>

#include <chrono>
#include <iomanip>
#include <iostream>

#include "apps/installed.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/strings.hpp"
#include "docstore/config.hpp"
#include "docstore/copy.hpp"
#include "docstore/sample_models.hpp"

namespace famigo::cli {
namespace {

std::int64_t count_flag(Args& args, std::string_view name, std::int64_t fallback) {
    auto text = args.value(name);
    if (!text) return fallback;
    auto n = strings::parse_u64(*text);
    if (!n)
        throw UsageError(std::string(name) + " takes a non-negative integer, got '" + *text + "'");
    return std::int64_t(*n);
}

// Progress on stderr: one rewritten line on a terminal, a line per 10% otherwise.
docstore::Progress progress_printer(std::string_view verb) {
    bool tty = isatty(STDERR_FILENO) != 0;
    auto last_decile = std::make_shared<int>(-1);
    return [verb = std::string(verb), tty, last_decile](std::uint64_t done, std::uint64_t total,
                                                        std::string_view what) {
        int percent = total ? int(done * 100 / total) : 0;
        if (tty) {
            std::cerr << "\r" << verb << ": " << done << "/" << total << " " << what << " ("
                      << percent << "%)" << (done >= total ? "\n" : "") << std::flush;
        } else if (percent / 10 != *last_decile || done >= total) {
            *last_decile = percent / 10;
            std::cerr << verb << ": " << done << "/" << total << " " << what << " (" << percent
                      << "%)\n";
        }
    };
}

std::unique_ptr<docstore::Store> open(const config::Config& config) {
    return docstore::open_store(docstore::store_options(config));
}

}  // namespace

int cmd_db(int argc, char** argv, char** envp) {
    std::string action = argc > 1 ? argv[1] : "";
    if (action != "find" && action != "count" && action != "indexes" && action != "insert")
        throw UsageError("expected `famigo db find|count|indexes|insert COLLECTION ...`");
    Args args(argc - 1, argv + 1);
    config::Config config = load_config(args, envp);
    docstore::FindOptions options;
    if (action == "find") {
        if (auto sort = args.value("--sort")) options.sort = docstore::parse_sort(*sort);
        if (auto fields = args.value("--fields"))
            for (auto part : strings::split(*fields, ','))
                if (!strings::trim(part).empty())
                    options.projection.only.emplace_back(strings::trim(part));
        options.skip = count_flag(args, "--skip", 0);
        if (auto limit = count_flag(args, "--limit", 0); limit > 0) options.limit = limit;
    }
    auto positional = args.positional();
    args.finish();
    if (positional.empty())
        throw UsageError("which collection? (famigo db " + action + " COLLECTION)");
    if (positional.size() > (action == "indexes" || action == "insert" ? 1u : 2u))
        throw UsageError("too many arguments");
    docstore::Filter filter =
        positional.size() > 1 ? docstore::parse_filter_text(positional[1]) : docstore::Filter();
    auto store = open(config);
    auto& collection = store->collection(positional[0]);
    if (action == "insert") {
        // JSON lines from stdin, inserted in batches (each batch all or nothing on SQLite).
        std::vector<docstore::Document> batch;
        std::int64_t inserted = 0, line_number = 0;
        auto flush = [&] {
            inserted += std::int64_t(collection.insert_many(std::move(batch)).size());
            batch.clear();
        };
        for (std::string line; std::getline(std::cin, line);) {
            ++line_number;
            if (strings::trim(line).empty()) continue;
            auto doc = docstore::Document::parse(line, nullptr, false);
            if (doc.is_discarded() || !doc.is_object())
                throw UsageError("stdin line " + std::to_string(line_number) +
                                 " is not a JSON object");
            batch.push_back(std::move(doc));
            if (batch.size() == 1000) flush();
        }
        flush();
        std::cout << "inserted " << inserted << "\n";
    } else if (action == "count") {
        std::cout << collection.count(filter) << "\n";
    } else if (action == "indexes") {
        std::cout << "_id_ (unique) _id\n";
        for (const auto& index : collection.indexes()) {
            std::cout << docstore::index_name(index) << (index.unique ? " (unique)" : "");
            for (const auto& key : index.keys)
                std::cout << " " << (key.descending ? "-" : "") << key.path;
            std::cout << "\n";
        }
    } else {
        collection.scan(filter, options, [](docstore::Document&& doc) {
            std::cout << doc.dump() << "\n";
            return true;
        });
    }
    return 0;
}

int cmd_migrate(int argc, char** argv, char** envp) {
    Args args(argc, argv);
    bool samples = args.flag("--sample-models");
    config::Config config = load_config(args, envp);
    args.finish();
    docstore::ModelRegistry registry;
    apps::register_models(registry);
    if (samples) docstore::samples::register_samples(registry);
    auto store = open(config);
    docstore::migrate(*store, registry, &std::cout);
    std::cout << "migrated " << registry.models().size() << " model(s)\n";
    return 0;
}

int cmd_backup(int argc, char** argv, char** envp) {
    Args args(argc, argv);
    config::Config config = load_config(args, envp);
    auto positional = args.positional();
    args.finish();
    if (positional.size() != 1) throw UsageError("usage: famigo backup DEST");
    auto store = open(config);
    store->backup(positional[0], progress_printer("backup"));
    std::cout << "backup written to " << positional[0] << " (checksum in " << positional[0]
              << ".sha256)\n";
    return 0;
}

int cmd_restore(int argc, char** argv, char** envp) {
    Args args(argc, argv);
    bool force = args.flag("--force");
    config::Config config = load_config(args, envp);
    auto positional = args.positional();
    args.finish();
    if (positional.size() != 1) throw UsageError("usage: famigo restore SRC [--force]");
    auto store = open(config);
    store->restore(positional[0], progress_printer("restore"), force);
    std::cout << "restored " << positional[0] << "\n";
    return 0;
}

int cmd_store(int argc, char** argv, char** envp) {
    std::string action = argc > 1 ? argv[1] : "";
    if (action != "copy")
        throw UsageError("expected `famigo store copy SRC_URL DEST_URL [--force]`");
    Args args(argc - 1, argv + 1);
    bool force = args.flag("--force");
    config::Config config = load_config(args, envp);
    auto positional = args.positional();
    args.finish();
    if (positional.size() != 2)
        throw UsageError("usage: famigo store copy SRC_URL DEST_URL [--force]");
    // Timeouts and the rest from the configuration; only the URLs differ.
    docstore::StoreOptions from_options = docstore::store_options(config);
    docstore::StoreOptions to_options = from_options;
    from_options.url = positional[0];
    to_options.url = positional[1];
    if (from_options.url == to_options.url)
        throw UsageError("the source and the destination are the same store");
    auto from = docstore::open_store(from_options);
    auto to = docstore::open_store(to_options);
    auto started = std::chrono::steady_clock::now();
    auto report = docstore::copy_store(*from, *to, progress_printer("copy"), force);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "copied " << report.documents << " documents in " << report.collections
              << " collections and " << report.indexes << " indexes from " << from->backend()
              << " to " << to->backend() << " in " << std::fixed << std::setprecision(1) << seconds
              << " s; content checksum " << report.checksum << " on both\n";
    return 0;
}

}  // namespace famigo::cli
