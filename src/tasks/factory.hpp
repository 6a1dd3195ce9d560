// Builds the configured task broker and declares the task keys:
//   tasks.url              sqlite://var/tasks.db (embedded default; a file of its
//                          own beside the store) or redis://[:password@]host:port/db
//   tasks.workers          worker threads `famigo serve` runs in-process; 0: none
//                          (run `famigo worker` processes instead)
//   tasks.queues           queues those workers take tasks from
//   tasks.lease            how long a fetched task is leased before another
//                          worker may take it (extended while it runs)
//   tasks.retry_base, tasks.retry_max   exponential retry backoff bounds
//   tasks.shutdown_grace   how long running tasks may finish at shutdown
//   tasks.poll_interval    the longest an idle worker waits between polls
//   tasks.idempotency_ttl  how long an idempotency key is remembered
#pragma once

#include <memory>
#include <string_view>

#include "core/config.hpp"
#include "tasks/broker.hpp"
#include "tasks/worker.hpp"

namespace famigo::tasks {

struct BrokerSettings {
    milliseconds poll_interval{100};
    milliseconds idempotency_ttl{24 * 3600 * 1000};
    std::vector<std::string> celery_queues;  // Redis: queues Celery workers also consume
};

void define_config(config::Schema& schema);
// Throws ConfigError for a bad URL; BrokerUnavailable when SQLite cannot open
// its file (Redis connects on first use).
std::unique_ptr<Broker> make_broker(std::string_view url, const BrokerSettings& settings = {});
std::unique_ptr<Broker> make_broker(const config::Config& config);
WorkerOptions worker_options(const config::Config& config);

}  // namespace famigo::tasks
