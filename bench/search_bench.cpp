// bench/search's measuring program: builds a search index of a catalog folder
// (the CSV exports `famigo import` reads: data/ or bench/gen-catalog's output)
// with the catalog's own App -> search document mapping, then runs each query
// class in a loop and reports queries/s, p50/p99 latency and CPU per query, as
// one JSON object on stdout. bench/search runs it once per backend and corpus,
// pinned to one CPU, with Solr pinned to the other, and compares.
//
//   search_bench --corpus DIR --url xapian:///tmp/idx|solr://127.0.0.1:PORT/famigo
//                [--server-pid PID] [--min-time SECONDS] [--samples N] [--reuse]
//                [--slowest N] [--only CLASS]
//
// --reuse: an index that already has documents is queried as it is (a 1M-app
// Xapian index kept between runs while tuning queries; its build is not timed).
//
// Rows are read straight from the CSV files (no store): an app's id is its
// source id, and a repeated source id keeps the first row. Queries come from
// the corpus's first rows (the real demo rows in both corpora), drawn with a
// fixed seed, so both backends and both corpora get the same query texts.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "apps/catalog/csv.hpp"
#include "apps/catalog/importer.hpp"
#include "apps/catalog/mapping.hpp"
#include "apps/catalog/search_docs.hpp"
#include "search/analyze.hpp"
#include "search/factory.hpp"

namespace catalog = famigo::apps::catalog;
namespace search = famigo::search;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    fs::path corpus;
    std::string url;
    long server_pid = 0;
    double min_time = 3;
    std::size_t samples = 100;  // titles drawn for the exact, typo and prefix classes
    bool reuse = false;         // an index that has documents is measured as it is
    std::size_t slowest = 0;    // print each class's N slowest queries (their worst time)
    std::string only;           // one class (to profile it)
};

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

double own_cpu() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// utime + stime of another process (Solr's JVM), 0 when there is none.
double process_cpu(long pid) {
    if (pid <= 0) return 0;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream rest(text.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i)
        if (i == 14 || i == 15) ticks += std::stod(field);
    return ticks / double(sysconf(_SC_CLK_TCK));
}

// Every app of the corpus, in file order, to `sink` in batches.
template <class Sink>
std::size_t read_corpus(const fs::path& dir, std::size_t batch_size, Sink&& sink) {
    std::unordered_set<std::string> seen;
    std::vector<catalog::App> batch;
    std::size_t apps = 0;
    for (const auto& file : catalog::expand_paths({dir.string()})) {
        auto layout = catalog::detect_file(file);
        std::ifstream in(file, std::ios::binary);
        catalog::CsvReader reader(in);
        std::vector<std::string> row;
        reader.next(row);  // header
        while (reader.next(row)) {
            auto mapped = catalog::map_row(layout, row);
            if (!mapped.problems.empty() || !seen.insert(mapped.app.source_id).second) continue;
            mapped.app.id = mapped.app.source_id;
            batch.push_back(std::move(mapped.app));
            if (batch.size() >= batch_size) {
                apps += batch.size();
                sink(batch);
                batch.clear();
            }
        }
    }
    apps += batch.size();
    if (!batch.empty()) sink(batch);
    return apps;
}

// A titles sample from the first `pool` apps (the real rows in either corpus).
std::vector<std::string> sample_titles(const fs::path& dir, std::size_t n) {
    constexpr std::size_t kPool = 16000;
    std::vector<std::string> titles;
    try {
        read_corpus(dir, 1000, [&](const std::vector<catalog::App>& batch) {
            for (const auto& app : batch)
                if (titles.size() < kPool) titles.push_back(app.title);
            if (titles.size() >= kPool) throw std::out_of_range("enough");
        });
    } catch (const std::out_of_range&) {
    }
    std::mt19937 rng(1);
    std::shuffle(titles.begin(), titles.end(), rng);
    std::vector<std::string> out;
    for (const auto& t : titles) {
        auto ws = search::words(t);
        if (ws.empty() || ws[0].size() < 3) continue;
        out.push_back(t);
        if (out.size() == n) break;
    }
    return out;
}

// The first two words of a title with one typo in the longest word of 5+
// letters (neighbours swapped, or a letter dropped); "" when none qualifies.
std::string with_typo(const std::string& title, std::mt19937& rng) {
    auto ws = search::words(title);
    if (ws.size() > 2) ws.resize(2);
    // ASCII words only: swapping or dropping a byte of a multi-byte letter
    // would make text that is not UTF-8, which no search box sends.
    auto ascii = [](const std::string& w) {
        return std::all_of(w.begin(), w.end(), [](char c) { return (c & 0x80) == 0; });
    };
    auto longest = ws.end();
    for (auto it = ws.begin(); it != ws.end(); ++it)
        if (ascii(*it) && (longest == ws.end() || it->size() > longest->size())) longest = it;
    if (longest == ws.end() || longest->size() < 5) return "";
    std::string& w = *longest;
    std::size_t at = 1 + rng() % (w.size() - 2);
    if (rng() % 2)
        std::swap(w[at], w[at + 1]);
    else
        w.erase(at, 1);
    return search::join(ws);
}

struct Class {
    std::string name;
    std::vector<search::Query> queries;
};

search::Query text_query(const std::string& text, std::size_t limit) {
    search::Query q;
    q.text = text;
    q.limit = limit;
    return q;
}

std::vector<Class> query_classes(const std::vector<std::string>& titles) {
    Class exact{"exact", {}}, typo{"typo", {}}, prefix{"prefix", {}}, multi{"multiword", {}},
        faceted{"filtered_faceted", {}};
    std::mt19937 rng(2);
    for (const auto& t : titles) {
        exact.queries.push_back(text_query(t, 20));
        if (auto q = with_typo(t, rng); !q.empty()) typo.queries.push_back(text_query(q, 20));
        // Search as you type: every keystroke of the first two words from the
        // third letter, as the autocomplete box sends them (10 suggestions).
        auto ws = search::words(t);
        std::string typed = ws[0];
        if (ws.size() > 1) typed += " " + ws[1];
        for (std::size_t n = 3; n <= typed.size(); ++n)
            // Whole letters only: a cut inside a multi-byte letter is not UTF-8.
            if (typed[n - 1] != ' ' && (n == typed.size() || (typed[n] & 0xC0) != 0x80))
                prefix.queries.push_back(text_query(typed.substr(0, n), 10));
    }
    const std::vector<std::string> intents = {
        "math games for kids",  "toddler abc",      "coloring book for kids",
        "learn to read",        "bedtime stories",  "puzzles for toddlers",
        "piano for kids",       "kids videos",      "learn to code",
        "stars and planets",    "racing games",     "princess dress up",
        "photo editor",         "weather radar",    "spanish lessons",
        "dinosaur games",       "music for babies", "word games",
        "drawing app for kids", "science for kids"};
    const std::vector<std::string> keywords = {
        "platform", "age_band", "price", "category", "ads", "in_app_purchases", "approved"};
    for (std::size_t i = 0; i < intents.size(); ++i) {
        multi.queries.push_back(text_query(intents[i], 20));
        search::Query q = text_query(intents[i], 20);
        q.facets = keywords;
        if (i % 3 == 0) q.filters["platform"] = {"android"};
        if (i % 3 == 1) q.filters["age_band"] = catalog::age_bands_up_to("6-8");
        if (i % 3 == 2) q.filters["price"] = {"free"};
        faceted.queries.push_back(q);
    }
    return {exact, typo, prefix, multi, faceted};
}

nlohmann::json run_class(search::Index& index, const Class& c, const Options& options) {
    for (const auto& q : c.queries) index.query(q);  // warm-up: caches, JIT
    std::vector<double> micros;
    std::vector<double> per_query(c.queries.size(), 0);  // the slowest, for --slowest
    std::uint64_t matches = 0;
    double cpu0 = own_cpu(), server0 = process_cpu(options.server_pid);
    auto t0 = Clock::now();
    do {
        for (std::size_t i = 0; i < c.queries.size(); ++i) {
            auto q0 = Clock::now();
            auto result = index.query(c.queries[i]);
            micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - q0).count());
            per_query[i] = std::max(per_query[i], micros.back());
            matches += result.total;
        }
    } while (seconds_since(t0) < options.min_time);
    double wall = seconds_since(t0);
    double cpu = own_cpu() - cpu0, server = process_cpu(options.server_pid) - server0;
    std::vector<double> sorted = micros;
    std::sort(sorted.begin(), sorted.end());
    auto pct = [&](double p) {
        return sorted[std::min(sorted.size() - 1, std::size_t(p * double(sorted.size())))];
    };
    double n = double(micros.size());
    nlohmann::json out = {{"queries", micros.size()},
                          {"distinct_queries", c.queries.size()},
                          {"seconds", wall},
                          {"qps", n / wall},
                          {"p50_us", pct(0.50)},
                          {"p99_us", pct(0.99)},
                          {"max_us", sorted.back()},
                          {"client_cpu_us_per_query", 1e6 * cpu / n},
                          {"mean_matches", double(matches) / n}};
    if (options.server_pid > 0) {
        out["server_cpu_us_per_query"] = 1e6 * server / n;
        // What one core of the server answers when it does nothing else.
        out["qps_per_server_core"] = server > 0 ? n / server : 0;
    }
    if (options.slowest > 0) {
        std::vector<std::size_t> order(c.queries.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(),
                  [&](std::size_t a, std::size_t b) { return per_query[a] > per_query[b]; });
        for (std::size_t k = 0; k < std::min(options.slowest, order.size()); ++k)
            std::fprintf(stderr, "    slowest %7.0f us  \"%s\"\n", per_query[order[k]],
                         c.queries[order[k]].text.c_str());
    }
    std::fprintf(stderr, "  %-17s %8.0f q/s  p50 %7.0f us  p99 %7.0f us  CPU/q %6.0f us%s\n",
                 c.name.c_str(), n / wall, pct(0.50), pct(0.99), 1e6 * cpu / n,
                 options.server_pid > 0
                     ? (" + server " + std::to_string(long(1e6 * server / n)) + " us").c_str()
                     : "");
    return out;
}

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--corpus")
            o.corpus = value();
        else if (arg == "--url")
            o.url = value();
        else if (arg == "--server-pid")
            o.server_pid = std::stol(value());
        else if (arg == "--min-time")
            o.min_time = std::stod(value());
        else if (arg == "--samples")
            o.samples = std::stoul(value());
        else if (arg == "--reuse")
            o.reuse = true;
        else if (arg == "--slowest")
            o.slowest = std::stoul(value());
        else if (arg == "--only")
            o.only = value();
        else
            throw std::invalid_argument("unknown option " + arg);
    }
    if (o.corpus.empty() || o.url.empty())
        throw std::invalid_argument("--corpus and --url are needed");
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        Options options = parse_options(argc, argv);
        search::SearchSettings settings;
        settings.url = options.url;
        settings.timeout = std::chrono::milliseconds(120000);
        auto index = search::make_index(settings, catalog::app_search_schema());

        nlohmann::json out = {{"url", index->describe()}};
        if (options.reuse && index->stats().documents > 0) {
            out["build"] = {{"reused", true}, {"documents", index->stats().documents}};
            std::fprintf(stderr, "  build: reusing the index's %llu documents\n",
                         static_cast<unsigned long long>(index->stats().documents));
            auto titles = sample_titles(options.corpus, options.samples);
            for (const auto& c : query_classes(titles))
                if (options.only.empty() || c.name == options.only)
                    out["classes"][c.name] = run_class(*index, c, options);
            std::cout << out.dump(1) << "\n";
            return 0;
        }
        // Build: read and map (timed apart), then the backend's own work.
        double map_s = 0, add_s = 0;
        double cpu0 = own_cpu(), server0 = process_cpu(options.server_pid);
        auto t0 = Clock::now();
        auto rebuild = index->rebuild();
        auto last = Clock::now();
        std::vector<search::Document> docs;
        std::size_t apps =
            read_corpus(options.corpus, 1000, [&](const std::vector<catalog::App>& batch) {
                docs.clear();
                for (const auto& app : batch) docs.push_back(catalog::app_search_document(app));
                auto a0 = Clock::now();
                rebuild->add(docs);
                auto a1 = Clock::now();
                map_s += std::chrono::duration<double>(a0 - last).count();
                add_s += std::chrono::duration<double>(a1 - a0).count();
                last = a1;
            });
        auto f0 = Clock::now();
        rebuild->finish();
        double finish_s = seconds_since(f0);
        double build_s = seconds_since(t0);
        out["build"] = {{"apps", apps},
                        {"documents", index->stats().documents},
                        {"seconds", build_s},
                        {"read_map_seconds", map_s},
                        {"index_seconds", add_s + finish_s},
                        {"commit_seconds", finish_s},
                        {"client_cpu_seconds", own_cpu() - cpu0},
                        {"server_cpu_seconds", process_cpu(options.server_pid) - server0}};
        std::fprintf(stderr,
                     "  build: %zu apps in %.1f s (reading and mapping %.1f s, index %.1f s)\n",
                     apps, build_s, map_s, add_s + finish_s);

        auto titles = sample_titles(options.corpus, options.samples);
        for (const auto& c : query_classes(titles))
            out["classes"][c.name] = run_class(*index, c, options);
        std::cout << out.dump(1) << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "search_bench: %s\n", e.what());
        return 1;
    }
}
