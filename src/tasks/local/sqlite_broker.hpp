// The embedded task broker: one SQLite table of tasks in its own file (WAL,
// synchronous=FULL, so an acknowledged enqueue survives a crash), shared by
// every process that opens the same file. A fetch is one write transaction
// that takes the oldest due task (ready, or running with an expired lease)
// and leases it; waiting fetchers of this process are woken by enqueue, other
// processes' enqueues are seen within the poll interval.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>

#include "tasks/broker.hpp"

namespace famigo::tasks {

struct SqliteOptions {
    std::filesystem::path path;
    milliseconds poll_interval{100};
    milliseconds busy_timeout{5000};
    milliseconds idempotency_ttl{24 * 3600 * 1000};
};

class SqliteBroker final : public Broker {
  public:
    explicit SqliteBroker(SqliteOptions options);
    ~SqliteBroker() override;

    std::string enqueue(std::string_view name, const Json& args, const Json& kwargs,
                        const EnqueueOptions& options) override;
    std::optional<Lease> fetch(const std::vector<std::string>& queues, milliseconds lease,
                               milliseconds wait) override;
    bool extend(Lease& lease, milliseconds lease_time) override;
    void ack(const Lease& lease, const Json& result) override;
    void fail(const Lease& lease, std::string_view error,
              std::optional<TimePoint> retry_at) override;
    void release(const Lease& lease) override;
    std::optional<TaskResult> result(std::string_view id) override;
    std::optional<TaskInfo> show(std::string_view id) override;
    std::vector<TaskInfo> list(std::string_view queue, std::size_t limit) override;
    std::vector<TaskInfo> dead(std::size_t limit) override;
    bool retry_dead(std::string_view id) override;
    std::int64_t purge(std::string_view queue) override;
    std::vector<QueueStats> stats() override;
    void ping() override;
    std::string describe() const override;
    bool try_lock(std::string_view name, std::string_view owner, milliseconds lease) override;
    void unlock(std::string_view name, std::string_view owner) override;
    std::optional<std::string> get_value(std::string_view key) override;
    void set_value(std::string_view key, std::string_view value) override;

    struct Db;  // the connection (sqlite_broker.cpp)

  private:
    std::optional<Lease> try_fetch(const std::vector<std::string>& queues, milliseconds lease);

    SqliteOptions options_;
    std::unique_ptr<Db> db_;
    std::mutex wake_mutex_;
    std::condition_variable wake_;
    std::uint64_t enqueued_ = 0;  // guarded by wake_mutex_; wakes waiting fetchers
};

}  // namespace famigo::tasks
