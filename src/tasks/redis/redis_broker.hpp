// The scale-out task broker on Redis (hiredis, private to this folder), in
// kombu's Redis transport layout so Celery workers and producers share it:
// each queue is a list named after it (producers LPUSH, consumers take from
// the right), messages are Celery protocol 2 envelopes, results are
// celery-task-meta-<id> keys. Reliability beyond kombu's: a fetch is one Lua
// script that pops a message and records it in famigo.unacked with its lease
// deadline in famigo.unacked_index, so a worker that dies mid-task loses
// nothing; the next fetch after the deadline puts the message back at the
// head of its queue. Tasks with an ETA or a retry time wait in the
// famigo.delayed sorted set until due. Dead letters are the famigo.dead list.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tasks/broker.hpp"

namespace famigo::tasks {

struct RedisOptions {
    std::string host = "127.0.0.1";
    int port = 6379;
    int db = 0;
    std::string password;
    milliseconds connect_timeout{1000};
    milliseconds command_timeout{5000};
    milliseconds poll_interval{50};  // the longest pause between fetch attempts when idle
    milliseconds idempotency_ttl{24 * 3600 * 1000};
    // Queues Celery workers consume too: a Celery worker reads only the
    // queue's list, so a task with an ETA goes into the list with its eta
    // header (a famigo fetch then parks it in famigo.delayed) instead of
    // waiting in famigo.delayed, where only famigo's fetch would see it.
    std::vector<std::string> celery_queues;
};

// Parses redis://[:password@]host[:port][/db]; throws ConfigError.
RedisOptions parse_redis_url(std::string_view url);

class RedisBroker final : public Broker {
  public:
    explicit RedisBroker(RedisOptions options);
    ~RedisBroker() override;

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

    class Connections;  // the pool of hiredis contexts (redis_connection.cpp)

  private:
    std::optional<Lease> try_fetch(const std::vector<std::string>& queues, milliseconds lease);
    std::vector<std::string> known_queues();

    RedisOptions options_;
    std::unique_ptr<Connections> pool_;
};

}  // namespace famigo::tasks
