// famigo's side of bench/tasks (bench/tasks/run drives it and the Celery
// peer): one process, as `famigo serve` runs its workers, with a producer
// thread and a WorkerPool of one thread on the broker of URL.
//
//   famigo_tasks_bench URL throughput N   N no-op tasks enqueued while the
//                                         pool runs them: wall and CPU time
//   famigo_tasks_bench URL latency N      N tasks one at a time, 20 ms apart,
//                                         to an idle pool: enqueue-to-start
//
// Prints one JSON object. Task bodies record their own start, against a
// time the producer put in their arguments just before enqueue().
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tasks/factory.hpp"

namespace {

using famigo::tasks::Json;
using std::chrono::milliseconds;

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto tv = [](timeval t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return tv(usage.ru_utime) + tv(usage.ru_stime);
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    auto i = std::size_t(p * double(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: famigo_tasks_bench URL throughput|latency N\n";
        return 2;
    }
    std::string url = argv[1], mode = argv[2];
    const int n = std::stoi(argv[3]);
    famigo::tasks::BrokerSettings settings;
    auto broker = famigo::tasks::make_broker(url, settings);
    broker->purge("bench");

    std::atomic<int> done{0};
    std::mutex mutex;
    std::vector<double> latencies_us;
    famigo::tasks::Registry registry;
    registry.add("bench.noop", [&](const Json&, const Json&) -> Json {
        done.fetch_add(1, std::memory_order_relaxed);
        return nullptr;
    });
    registry.add("bench.stamp", [&](const Json& args, const Json&) -> Json {
        double us = double(now_ns() - args.at(0).get<std::int64_t>()) / 1000.0;
        {
            std::lock_guard lock(mutex);
            latencies_us.push_back(us);
        }
        done.fetch_add(1, std::memory_order_relaxed);
        return nullptr;
    });
    famigo::tasks::WorkerOptions options;
    options.queues = {"bench"};
    options.concurrency = 1;
    options.fetch_wait = milliseconds(200);
    famigo::tasks::WorkerPool pool(*broker, registry, options);

    famigo::tasks::EnqueueOptions enqueue;
    enqueue.queue = "bench";
    enqueue.keep_result = false;
    Json out;
    out["url"] = url.substr(0, url.find(':'));
    out["mode"] = mode;
    out["tasks"] = n;
    if (mode == "throughput") {
        pool.start();
        std::this_thread::sleep_for(milliseconds(300));  // idle pool, connections made
        double cpu0 = cpu_seconds();
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < n; ++i)
            broker->enqueue("bench.noop", Json::array(), Json::object(), enqueue);
        auto enqueued = std::chrono::steady_clock::now();
        while (done.load() < n) std::this_thread::sleep_for(std::chrono::microseconds(200));
        auto t1 = std::chrono::steady_clock::now();
        double cpu = cpu_seconds() - cpu0;
        double wall = std::chrono::duration<double>(t1 - t0).count();
        out["wall_s"] = wall;
        out["enqueue_s"] = std::chrono::duration<double>(enqueued - t0).count();
        out["cpu_s"] = cpu;
        out["tasks_per_s"] = double(n) / wall;
        out["tasks_per_cpu_s"] = double(n) / cpu;
    } else if (mode == "latency") {
        pool.start();
        std::this_thread::sleep_for(milliseconds(300));
        for (int i = 0; i < n; ++i) {
            broker->enqueue("bench.stamp", Json::array({now_ns()}), Json::object(), enqueue);
            while (done.load() < i + 1) std::this_thread::sleep_for(std::chrono::microseconds(50));
            std::this_thread::sleep_for(milliseconds(20));  // idle again
        }
        std::lock_guard lock(mutex);
        out["p50_us"] = percentile(latencies_us, 0.50);
        out["p99_us"] = percentile(latencies_us, 0.99);
        out["max_us"] = percentile(latencies_us, 1.0);
    } else {
        std::cerr << "unknown mode " << mode << "\n";
        return 2;
    }
    pool.stop();
    std::cout << out.dump() << std::endl;
    return 0;
}
