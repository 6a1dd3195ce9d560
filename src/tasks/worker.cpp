#include "tasks/worker.hpp"

#include <random>

#include "core/log.hpp"
#include "ops/metrics.hpp"

namespace famigo::tasks {

milliseconds retry_delay(int retries, milliseconds base, milliseconds max) {
    double full = double(base.count());
    for (int i = 0; i < retries && full < double(max.count()); ++i) full *= 2;
    full = std::min(full, double(max.count()));
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uniform_real_distribution<double> jitter(0.5, 1.0);
    return milliseconds(std::int64_t(full * jitter(engine)));
}

void WorkerStats::observe(double seconds) {
    std::size_t i = 0;
    while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
    buckets[i].fetch_add(1, std::memory_order_relaxed);
    run_micros.fetch_add(std::uint64_t(seconds * 1e6), std::memory_order_relaxed);
}

WorkerPool::WorkerPool(Broker& broker, const Registry& registry, WorkerOptions options)
    : broker_(broker), registry_(registry), options_(std::move(options)) {
    if (options_.concurrency == 0) options_.concurrency = 1;
}

WorkerPool::~WorkerPool() {
    stop();
    // Threads detached by a stop() that timed out still use this pool until
    // their task body returns.
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return active_threads_ == 0; });
}

void WorkerPool::start() {
    if (started_) return;
    started_ = true;
    active_threads_ = options_.concurrency;
    for (std::size_t i = 0; i < options_.concurrency; ++i)
        threads_.emplace_back([this, i] { run_thread(i); });
    keeper_ = std::thread([this] { keep_leases(); });
}

bool WorkerPool::stop() {
    if (!started_ || stopping_.exchange(true)) return !abandoned_;
    changed_.notify_all();
    bool all_done;
    {
        std::unique_lock lock(mutex_);
        all_done = changed_.wait_for(lock, options_.shutdown_grace,
                                     [this] { return active_threads_ == 0; });
        if (!all_done) {
            // Hand back what is still running: another worker gets it at once
            // instead of after the lease; this worker's late ack is refused.
            for (auto& [index, lease] : running_) {
                try {
                    broker_.release(*lease);
                    log::warn("tasks: handed back " + lease->task.name + " " + lease->task.id +
                              " at shutdown");
                } catch (const Error& e) {
                    log::error(std::string("tasks: could not hand back a task: ") + e.what());
                }
            }
            abandoned_ = true;
        }
    }
    if (keeper_.joinable()) keeper_.join();
    if (!all_done) {
        for (auto& t : threads_) t.detach();
        threads_.clear();
        return false;
    }
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
    return true;
}

void WorkerPool::keep_leases() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        changed_.wait_for(lock, options_.lease / 3);
        for (auto& [index, lease] : running_) {
            try {
                if (!broker_.extend(*lease, options_.lease)) {
                    stats_.lost.fetch_add(1, std::memory_order_relaxed);
                    log::warn("tasks: lost the lease of " + lease->task.id);
                }
            } catch (const Error& e) {
                log::warn(std::string("tasks: lease extension failed: ") + e.what());
            }
        }
    }
}

void WorkerPool::run_thread(std::size_t index) {
    while (!stopping_) {
        std::optional<Lease> lease;
        try {
            lease = broker_.fetch(options_.queues, options_.lease, options_.fetch_wait);
        } catch (const Error& e) {
            log::warn(std::string("tasks: fetch failed: ") + e.what());
            std::this_thread::sleep_for(options_.fetch_wait);
            continue;
        }
        if (!lease) continue;
        if (stopping_) {
            broker_.release(*lease);
            break;
        }
        {
            std::lock_guard lock(mutex_);
            running_[index] = &*lease;
        }
        settle(*lease);
        std::lock_guard lock(mutex_);
        running_.erase(index);
    }
    std::lock_guard lock(mutex_);
    --active_threads_;
    changed_.notify_all();
}

void WorkerPool::settle(Lease& lease) {
    const Task& task = lease.task;
    const Registry::Handler* handler = registry_.find(task.name);
    auto started = std::chrono::steady_clock::now();
    std::string error;
    bool permanent = false;
    Json result;
    if (!handler) {
        error = "no task named " + task.name + " is registered";
        permanent = true;
    } else if (task.lost > task.max_retries) {
        // Its worker died during every one of its last runs: most likely the
        // task kills it (a crash, the OOM killer), so it is not run again.
        error = "its worker died during " + std::to_string(task.lost) +
                " runs (a task that crashes its worker?)";
        permanent = true;
    } else {
        try {
            result = (*handler)(task.args, task.kwargs);
        } catch (const BadArguments& e) {
            error = std::string("bad arguments: ") + e.what();
            permanent = true;
        } catch (const PermanentFailure& e) {
            error = e.what();
            permanent = true;
        } catch (const std::exception& e) {
            error = e.what();
            if (error.empty()) error = "failed";
        }
    }
    stats_.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    try {
        std::lock_guard lock(mutex_);  // no lease extension while settling
        if (error.empty()) {
            broker_.ack(lease, result);
            stats_.succeeded.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        stats_.failed.fetch_add(1, std::memory_order_relaxed);
        if (!permanent && task.retries < task.max_retries) {
            auto at =
                Clock::now() + retry_delay(task.retries, options_.retry_base, options_.retry_max);
            broker_.fail(lease, error, at);
            stats_.retried.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        broker_.fail(lease, error, std::nullopt);
        stats_.dead.fetch_add(1, std::memory_order_relaxed);
        log::warn("tasks: " + task.name + " " + task.id + " is dead: " + error);
    } catch (const Error& e) {
        // The broker is down: the lease runs out and the task comes back.
        log::error(std::string("tasks: could not settle ") + task.id + ": " + e.what());
    }
}

void WorkerPool::collect(ops::Exposition& out) const {
    out.family("famigo_tasks_runs_total", "counter", "task runs by outcome");
    out.sample("famigo_tasks_runs_total", {{"outcome", "succeeded"}}, double(stats_.succeeded));
    out.sample("famigo_tasks_runs_total", {{"outcome", "failed"}}, double(stats_.failed));
    out.family("famigo_tasks_retries_total", "counter", "failed runs scheduled again");
    out.sample("famigo_tasks_retries_total", {}, double(stats_.retried));
    out.family("famigo_tasks_dead_lettered_total", "counter",
               "tasks moved to the dead-letter queue");
    out.sample("famigo_tasks_dead_lettered_total", {}, double(stats_.dead));
    out.family("famigo_tasks_run_seconds", "histogram", "time a task body ran");
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < WorkerStats::kBuckets.size(); ++i) {
        cumulative += stats_.buckets[i];
        std::string le;
        ops::Exposition::append_number(le, WorkerStats::kBuckets[i]);
        out.sample("famigo_tasks_run_seconds_bucket", {{"le", le}}, double(cumulative));
    }
    cumulative += stats_.buckets[WorkerStats::kBuckets.size()];
    out.sample("famigo_tasks_run_seconds_bucket", {{"le", "+Inf"}}, double(cumulative));
    out.sample("famigo_tasks_run_seconds_sum", {}, double(stats_.run_micros) / 1e6);
    out.sample("famigo_tasks_run_seconds_count", {}, double(cumulative));
}

}  // namespace famigo::tasks
