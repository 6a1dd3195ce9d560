// The broker's side of /metrics: per queue, the tasks waiting (ready and
// scheduled), running, dead-lettered, and the age of the oldest ready task,
// read from Broker::stats() at scrape time. The worker pool's own counters
// (runs, failures, retries, run time) are WorkerPool::collect().
#pragma once

#include "tasks/broker.hpp"

namespace famigo::ops {
class Exposition;
}

namespace famigo::tasks {

// Appends the queue families; an unreachable broker sets
// famigo_tasks_broker_up to 0 and writes no queue samples.
void collect_queues(Broker& broker, ops::Exposition& out);

}  // namespace famigo::tasks
