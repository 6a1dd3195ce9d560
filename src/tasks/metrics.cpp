#include "tasks/metrics.hpp"

#include "ops/metrics.hpp"

namespace famigo::tasks {

void collect_queues(Broker& broker, ops::Exposition& out) {
    std::vector<QueueStats> queues;
    bool up = true;
    try {
        queues = broker.stats();
    } catch (const Error&) {
        up = false;
    }
    out.family("famigo_tasks_broker_up", "gauge", "1 when the task broker answered the scrape");
    out.sample("famigo_tasks_broker_up", {}, up ? 1 : 0);
    if (!up) return;
    struct Gauge {
        const char* name;
        const char* help;
        double (*value)(const QueueStats&);
    };
    static const Gauge kGauges[] = {
        {"famigo_tasks_queue_ready", "tasks due now, waiting for a worker",
         [](const QueueStats& q) { return double(q.ready); }},
        {"famigo_tasks_queue_scheduled", "tasks waiting for an ETA or a retry time",
         [](const QueueStats& q) { return double(q.scheduled); }},
        {"famigo_tasks_queue_running", "tasks leased by a worker",
         [](const QueueStats& q) { return double(q.running); }},
        {"famigo_tasks_queue_dead", "tasks in the dead-letter queue",
         [](const QueueStats& q) { return double(q.dead); }},
        {"famigo_tasks_queue_oldest_age_seconds", "age of the oldest ready task",
         [](const QueueStats& q) { return q.oldest_age_seconds; }},
    };
    for (const auto& gauge : kGauges) {
        out.family(gauge.name, "gauge", gauge.help);
        for (const auto& q : queues) out.sample(gauge.name, {{"queue", q.queue}}, gauge.value(q));
    }
}

}  // namespace famigo::tasks
