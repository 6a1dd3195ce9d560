// The worker pool: threads that fetch tasks from a Broker under a lease, run
// them through the Registry and settle them. A keeper thread extends the
// leases of running tasks, so a long task keeps its lease while its worker
// lives. A failed run is retried after an exponential backoff with jitter
// (base * 2^retries, capped, randomized to half..full so retries of many
// tasks spread out); past max_retries, for an unknown task name or bad
// arguments, it goes to the dead-letter queue. stop() stops fetching, lets
// running tasks finish for the grace time and hands back the rest.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tasks/broker.hpp"
#include "tasks/registry.hpp"

namespace famigo::ops {
class Exposition;
}

namespace famigo::tasks {

struct WorkerOptions {
    std::vector<std::string> queues{std::string(kDefaultQueue)};
    unsigned concurrency = 2;
    milliseconds lease{30000};
    milliseconds retry_base{1000};
    milliseconds retry_max{600000};
    milliseconds shutdown_grace{30000};
    milliseconds fetch_wait{500};  // how long one fetch blocks; bounds how fast stop() is seen
};

// The delay before retry number `retries + 1`: between half and all of
// min(base * 2^retries, max).
milliseconds retry_delay(int retries, milliseconds base, milliseconds max);

// Counters and the run-time histogram of one pool, for /metrics.
struct WorkerStats {
    static constexpr std::array<double, 12> kBuckets = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5,
                                                        1,     5,     10,   30,   60,  300};
    std::atomic<std::uint64_t> succeeded{0}, failed{0}, retried{0}, dead{0}, lost{0};
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<std::uint64_t> run_micros{0};
    void observe(double seconds);
};

class WorkerPool {
  public:
    WorkerPool(Broker& broker, const Registry& registry, WorkerOptions options);
    ~WorkerPool();  // stop()s, then waits for every thread, even past the grace
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void start();
    // Stops fetching and waits up to the grace time; tasks still running then
    // are handed back to the broker. Returns true when every thread ended;
    // false means a task body is still running (the caller should exit the
    // process rather than wait in the destructor or destroy what it uses).
    bool stop();
    const WorkerStats& stats() const { return stats_; }
    // Appends the pool's families (runs, failures, retries, run time).
    void collect(ops::Exposition& out) const;

  private:
    void run_thread(std::size_t index);
    void keep_leases();
    void settle(Lease& lease);

    Broker& broker_;
    const Registry& registry_;
    WorkerOptions options_;
    WorkerStats stats_;
    std::atomic<bool> stopping_{false};
    std::vector<std::thread> threads_;
    std::thread keeper_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::size_t, Lease*> running_;  // by thread index; guarded by mutex_
    std::size_t active_threads_ = 0;         // guarded by mutex_
    bool started_ = false;
    bool abandoned_ = false;
};

}  // namespace famigo::tasks
