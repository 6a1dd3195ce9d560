// Document store benchmark (Google Benchmark): a point read by id, an indexed
// equality + range filter sorted with limit 20, and a single-field update, over
// a collection of --docs documents (default 100,000) in the store at --store.
// bench/docstore runs it on SQLite and on FerretDB and writes the results to
// bench/results/. Each write is acknowledged as configured (SQLite: WAL with
// synchronous=FULL; MongoDB: w=majority, j=true).
#include <benchmark/benchmark.h>

#include <cstring>
#include <iostream>
#include <random>

#include "docstore/store.hpp"

using namespace famigo::docstore;

namespace {

std::unique_ptr<Store> store;
Collection* apps = nullptr;
int documents = 100000;

std::string id_of(int i) {
    return "b" + std::to_string(i);
}

void load() {
    apps = &store->collection("bench_apps");
    if (apps->count() == documents) return;
    apps->drop();
    std::cerr << "loading " << documents << " documents...\n";
    std::vector<Document> batch;
    for (int i = 0; i < documents; ++i) {
        batch.push_back(
            {{"_id", id_of(i)},
             {"slug", "app-" + std::to_string(i)},
             {"name", "Benchmark app number " + std::to_string(i)},
             {"category", "c" + std::to_string(i % 50)},
             {"rating", (i * 7919 % 1000) / 200.0},
             {"downloads", i},
             {"tags", {"game", "kids"}},
             {"developer", {{"name", "Dev " + std::to_string(i % 300)}, {"country", "US"}}}});
        if (batch.size() == 1000) apps->insert_many(std::exchange(batch, {}));
    }
    apps->create_index({"", parse_sort("category,-rating"), false});
    std::cerr << "loaded\n";
}

void point_read(benchmark::State& state) {
    std::mt19937 random(1);
    std::uniform_int_distribution<int> pick(0, documents - 1);
    for (auto _ : state) {
        auto doc = apps->get(id_of(pick(random)));
        if (!doc) state.SkipWithError("missing document");
        benchmark::DoNotOptimize(doc);
    }
}

void indexed_filter(benchmark::State& state) {
    std::mt19937 random(2);
    std::uniform_int_distribution<int> category(0, 49);
    FindOptions options;
    options.sort = parse_sort("-rating");
    options.limit = 20;
    for (auto _ : state) {
        auto docs = apps->find(
            field("category") == "c" + std::to_string(category(random)) && field("rating") >= 2.5,
            options);
        if (docs.size() != 20) state.SkipWithError("expected 20 documents");
        benchmark::DoNotOptimize(docs);
    }
}

void update_field(benchmark::State& state) {
    std::mt19937 random(3);
    std::uniform_int_distribution<int> pick(0, documents - 1);
    std::int64_t n = 0;
    for (auto _ : state) {
        auto result = apps->update(field("_id") == id_of(pick(random)),
                                   Update().set("downloads", ++n), {.multi = false});
        if (result.matched != 1) state.SkipWithError("no match");
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::string url;
    std::vector<char*> rest = {argv[0]};
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--store=", 8) == 0)
            url = argv[i] + 8;
        else if (std::strncmp(argv[i], "--docs=", 7) == 0)
            documents = std::atoi(argv[i] + 7);
        else
            rest.push_back(argv[i]);
    }
    if (url.empty()) {
        std::cerr << "usage: docstore_bench --store=URL [--docs=N] [benchmark flags]\n";
        return 2;
    }
    StoreOptions options;
    options.url = url;
    options.timeout = std::chrono::milliseconds(120000);
    store = open_store(options);
    load();
    std::string backend(store->backend());
    benchmark::RegisterBenchmark((backend + "/point_read_by_id").c_str(), point_read);
    benchmark::RegisterBenchmark((backend + "/indexed_eq_range_sort_limit20").c_str(),
                                 indexed_filter);
    benchmark::RegisterBenchmark((backend + "/update_one_field").c_str(), update_field);
    int count = int(rest.size());
    benchmark::Initialize(&count, rest.data());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    store.reset();
    return 0;
}
