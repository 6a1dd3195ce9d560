// Test helper for the durability tests: opens the store at argv[1] and inserts
// {_id: PREFIX-N, n: N} for N = 0, 1, ... forever, printing each id on stdout
// (flushed) only after the insert returned, i.e. after the store acknowledged
// it. The test kills this process at random moments and then checks that every
// printed id is stored. Exits 1 at the first failed insert.
// With PREFIX "--inc=N" it instead increments the field n of the document
// "counter" N times (upserting it), for the multi-process atomicity test.
// With a third argument "--retry" a failed insert is not the end: it waits
// 50 ms and tries the same id again (the failover drill: the store is away
// while a standby takes over); a DuplicateKey then means the earlier attempt
// was committed, so the id counts as acknowledged.
#include <cstdio>
#include <exception>
#include <string>
#include <thread>

#include "docstore/store.hpp"

int main(int argc, char** argv) {
    bool retry = argc == 4 && std::string_view(argv[3]) == "--retry";
    if (argc != 3 && !retry) {
        std::fprintf(stderr, "usage: docstore_writer URL PREFIX [--retry]\n");
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
            for (;;) {
                try {
                    collection.insert({{"_id", id}, {"n", n}, {"payload", payload}});
                } catch (const famigo::docstore::DuplicateKey&) {
                    if (!retry) throw;  // with retries: an earlier attempt was committed
                } catch (const famigo::docstore::StoreError& e) {
                    if (!retry) throw;
                    std::fprintf(stderr, "docstore_writer: %s (retrying)\n", e.what());
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                    continue;
                }
                break;
            }
            std::printf("%s\n", id.c_str());
            std::fflush(stdout);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "docstore_writer: %s\n", e.what());
        return 1;
    }
}
