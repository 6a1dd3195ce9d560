// Test helper for the durability tests: opens the store at argv[1] and inserts
// {_id: PREFIX-N, n: N} for N = 0, 1, ... forever, printing each id on stdout
// (flushed) only after the insert returned, i.e. after the store acknowledged
// it. The test kills this process at random moments and then checks that every
// printed id is stored. Exits 1 at the first failed insert.
// With PREFIX "--inc=N" it instead increments the field n of the document
// "counter" N times (upserting it), for the multi-process atomicity test.
#include <cstdio>
#include <exception>
#include <string>

#include "docstore/store.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: docstore_writer URL PREFIX\n");
        return 2;
    }
    try {
        famigo::docstore::StoreOptions options;
        options.url = argv[1];
        options.timeout = std::chrono::milliseconds(5000);
        auto store = famigo::docstore::open_store(options);
        auto& collection = store->collection("durable");
        if (std::string_view(argv[2]).starts_with("--inc=")) {
            long times = std::stol(argv[2] + 6);
            for (long i = 0; i < times; ++i)
                collection.update(famigo::docstore::field("_id") == "counter",
                                  famigo::docstore::Update().inc("n", 1),
                                  {.multi = false, .upsert = true});
            return 0;
        }
        std::string payload(512, 'p');
        for (long n = 0;; ++n) {
            std::string id = std::string(argv[2]) + "-" + std::to_string(n);
            collection.insert({{"_id", id}, {"n", n}, {"payload", payload}});
            std::printf("%s\n", id.c_str());
            std::fflush(stdout);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "docstore_writer: %s\n", e.what());
        return 1;
    }
}
