// The task queue's interface (tasks::Broker): named tasks with JSON arguments
// are enqueued with options (countdown/ETA, expiry, max retries, queue,
// idempotency key), fetched by workers under a lease that they extend while a
// task runs, and then acknowledged (with an optional result kept for a TTL),
// failed (to be retried at a given time, or dead-lettered), or handed back.
// A task whose lease runs out (its worker died) is delivered again: delivery
// is at least once. Backends: local/ (SQLite, the embedded default) and
// redis/ (hiredis, Celery's message and result layout); tasks/factory.hpp
// picks one by tasks.url. The retry policy (backoff, jitter, dead-letter
// after max retries) is the worker's (tasks/worker.hpp), not the backend's.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace famigo::tasks {

using Json = nlohmann::json;
using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;
using std::chrono::milliseconds;

inline constexpr std::string_view kDefaultQueue = "famigo";

// The broker cannot be reached or answered with an error (readiness turns 503).
class BrokerUnavailable : public Error {
  public:
    using Error::Error;
};

// A task name, queue name or option that no backend would accept.
class BadTask : public Error {
  public:
    using Error::Error;
};

struct EnqueueOptions {
    std::string queue{kDefaultQueue};
    milliseconds countdown{0};         // run no earlier than now + countdown
    std::optional<TimePoint> eta;      // or no earlier than this (wins over countdown)
    std::optional<TimePoint> expires;  // not run at all after this
    int max_retries = 3;               // failed runs retried before the dead-letter queue
    // A second enqueue with the same key (while the first task or its record
    // lives, at least tasks.idempotency_ttl) returns the first task's id.
    std::string idempotency_key;
    bool keep_result = false;  // store the return value for result_ttl
    milliseconds result_ttl{24 * 3600 * 1000};
    std::string id;  // chosen id (a UUID is made when empty)
};

// One task as a worker sees it.
struct Task {
    std::string id;
    std::string name;
    std::string queue;
    Json args = Json::array();
    Json kwargs = Json::object();
    int retries = 0;  // failed runs so far
    int max_retries = 3;
    // Earlier deliveries whose lease ran out (their worker died mid-task);
    // past max_retries the worker dead-letters the task without running it.
    int lost = 0;
    std::optional<TimePoint> eta;
    std::optional<TimePoint> expires;
    std::string idempotency_key;
    bool keep_result = false;
    milliseconds result_ttl{0};
    TimePoint enqueued_at{};
};

// A fetched task and the proof of this delivery: acknowledging needs the
// token, so a worker whose lease ran out cannot settle a redelivered task.
struct Lease {
    Task task;
    std::string token;
    TimePoint deadline;
};

struct TaskResult {
    std::string state;  // "SUCCESS", "FAILURE" (Celery's names)
    Json value;         // the return value, or the error text
};

// What `famigo tasks list|show|dead` print.
struct TaskInfo {
    std::string id;
    std::string name;
    std::string queue;
    std::string state;  // ready, scheduled, running, done, dead
    int retries = 0;
    std::string error;  // the last failure
    Json args = Json::array();
    Json kwargs = Json::object();
    TimePoint enqueued_at{};
};

struct QueueStats {
    std::string queue;
    std::int64_t ready = 0;         // due now
    std::int64_t scheduled = 0;     // waiting for an ETA or a retry time
    std::int64_t running = 0;       // leased
    std::int64_t dead = 0;          // in the dead-letter queue
    double oldest_age_seconds = 0;  // of the oldest ready task
};

class Broker {
  public:
    virtual ~Broker() = default;

    // Returns the task id (the existing task's for a repeated idempotency key).
    // Throws BadTask for an empty name or queue, BrokerUnavailable when down.
    virtual std::string enqueue(std::string_view name, const Json& args, const Json& kwargs,
                                const EnqueueOptions& options) = 0;
    // The next due task of the first of `queues` that has one, leased until
    // now + lease; waits up to `wait` for one. Expired tasks are dropped here.
    virtual std::optional<Lease> fetch(const std::vector<std::string>& queues, milliseconds lease,
                                       milliseconds wait) = 0;
    // Pushes the deadline to now + lease; false when the lease was lost.
    virtual bool extend(Lease& lease, milliseconds lease_time) = 0;
    // Done; keeps `result` when the task asked for it.
    virtual void ack(const Lease& lease, const Json& result) = 0;
    // Failed: scheduled again at retry_at with retries + 1, or into the
    // dead-letter queue when retry_at is empty.
    virtual void fail(const Lease& lease, std::string_view error,
                      std::optional<TimePoint> retry_at) = 0;
    // Handed back unrun (shutdown): ready again at once, retries unchanged.
    virtual void release(const Lease& lease) = 0;

    virtual std::optional<TaskResult> result(std::string_view id) = 0;
    virtual std::optional<TaskInfo> show(std::string_view id) = 0;
    // Waiting and running tasks of a queue (all queues when empty), oldest first.
    virtual std::vector<TaskInfo> list(std::string_view queue, std::size_t limit) = 0;
    virtual std::vector<TaskInfo> dead(std::size_t limit) = 0;
    // Moves a dead task back to its queue with its retries reset; false if not dead.
    virtual bool retry_dead(std::string_view id) = 0;
    // Drops every waiting task of a queue (not running ones); returns how many.
    virtual std::int64_t purge(std::string_view queue) = 0;
    virtual std::vector<QueueStats> stats() = 0;
    // Throws BrokerUnavailable when the broker cannot be reached.
    virtual void ping() = 0;
    virtual std::string describe() const = 0;  // "sqlite:var/tasks.db", for logs

    // A named lock with a lease, for `famigo beat` (one active scheduler across
    // hosts): true when `owner` now holds `name` until now + lease, because it
    // was free, its lease ran out, or `owner` already held it (a renewal).
    virtual bool try_lock(std::string_view name, std::string_view owner, milliseconds lease) = 0;
    // Frees the lock if `owner` holds it (a clean shutdown hands over at once).
    virtual void unlock(std::string_view name, std::string_view owner) = 0;
    // Small durable values kept beside the queues (the scheduler's last-run
    // times), so every scheduler of a deployment sees the same ones.
    virtual std::optional<std::string> get_value(std::string_view key) = 0;
    virtual void set_value(std::string_view key, std::string_view value) = 0;
};

// A random UUID4 in Celery's text form (8-4-4-4-12 lower-case hex).
std::string new_task_id();
// Checks a task or queue name: 1-200 printable ASCII characters, no spaces.
void check_name(std::string_view what, std::string_view name);
// When a task should first run: eta, else now + countdown.
TimePoint due_time(const EnqueueOptions& options, TimePoint now);
std::int64_t to_ms(TimePoint t);
TimePoint from_ms(std::int64_t ms);

}  // namespace famigo::tasks
