#include "tasks/factory.hpp"

#include "core/strings.hpp"
#include "tasks/beat.hpp"
#include "tasks/local/sqlite_broker.hpp"
#include "tasks/redis/redis_broker.hpp"

namespace famigo::tasks {
namespace {

std::optional<std::string> valid_url(const config::Value& value) {
    const auto& url = std::get<std::string>(value);
    if (url.starts_with("sqlite://") && url.size() > 9) return std::nullopt;
    if (url.starts_with("redis://")) {
        try {
            parse_redis_url(url);
            return std::nullopt;
        } catch (const ConfigError& e) {
            return e.what();
        }
    }
    return "must be sqlite:///abs/path, sqlite://rel/path or redis://host:port/db";
}

std::optional<std::string> valid_queues(const config::Value& value) {
    const auto& queues = std::get<std::vector<std::string>>(value);
    if (queues.empty()) return "name at least one queue";
    for (const auto& q : queues) {
        try {
            check_name("queue name", q);
        } catch (const BadTask& e) {
            return e.what();
        }
    }
    return std::nullopt;
}

}  // namespace

void define_config(config::Schema& schema) {
    using config::Kind;
    schema
        .add({"tasks.url", Kind::String, "sqlite://var/tasks.db",
              "task broker: sqlite:///abs/path, sqlite://rel/path (embedded, its own file) or "
              "redis://[:password@]host:port/db (Celery's Redis layout)",
              valid_url})
        .add({"tasks.workers", Kind::Integer, "2",
              "worker threads famigo serve runs in-process (0: none; run famigo worker instead)",
              config::not_negative})
        .add({"tasks.queues", Kind::StringList, "famigo", "queues the workers take tasks from",
              valid_queues})
        .add({"tasks.lease", Kind::DurationMs, "30s",
              "how long a fetched task is leased before another worker may take it (extended "
              "while it runs)",
              config::positive})
        .add({"tasks.retry_base", Kind::DurationMs, "1s", "first retry delay (doubles per retry)",
              config::positive})
        .add({"tasks.retry_max", Kind::DurationMs, "10m", "longest retry delay", config::positive})
        .add({"tasks.shutdown_grace", Kind::DurationMs, "30s",
              "how long running tasks may finish at shutdown before they are handed back",
              config::not_negative})
        .add({"tasks.poll_interval", Kind::DurationMs, "100ms",
              "the longest an idle worker waits before looking for new tasks again",
              config::positive})
        .add({"tasks.idempotency_ttl", Kind::DurationMs, "24h",
              "how long an idempotency key is remembered after its task finished",
              config::positive})
        .add({"tasks.celery_queues", Kind::StringList, "",
              "Redis: queues that Celery workers also consume; a task with a countdown or ETA "
              "goes straight into such a queue with Celery's eta header, as Celery sends it",
              [](const config::Value& v) {
                  return std::get<std::vector<std::string>>(v).empty() ? std::nullopt
                                                                       : valid_queues(v);
              }});
    define_beat_config(schema);
}

std::unique_ptr<Broker> make_broker(std::string_view url, const BrokerSettings& settings) {
    if (url.starts_with("sqlite://") && url.size() > 9) {
        SqliteOptions o;
        o.path = std::string(url.substr(9));  // sqlite:///abs -> /abs ; sqlite://rel -> rel
        o.poll_interval = settings.poll_interval;
        o.idempotency_ttl = settings.idempotency_ttl;
        return std::make_unique<SqliteBroker>(std::move(o));
    }
    if (url.starts_with("redis://")) {
        RedisOptions o = parse_redis_url(url);
        o.poll_interval = std::min(settings.poll_interval, milliseconds(50));
        o.idempotency_ttl = settings.idempotency_ttl;
        o.celery_queues = settings.celery_queues;
        return std::make_unique<RedisBroker>(std::move(o));
    }
    throw ConfigError("tasks URL '" + std::string(url) +
                      "': use sqlite:///abs/path, sqlite://rel/path or redis://host:port/db");
}

std::unique_ptr<Broker> make_broker(const config::Config& config) {
    BrokerSettings s;
    s.poll_interval = milliseconds(config.integer("tasks.poll_interval"));
    s.idempotency_ttl = milliseconds(config.integer("tasks.idempotency_ttl"));
    s.celery_queues = config.list("tasks.celery_queues");
    try {
        return make_broker(config.str("tasks.url"), s);
    } catch (const ConfigError& e) {
        throw ConfigError("config key 'tasks.url' (from " + config.origin("tasks.url") +
                          "): " + e.what());
    }
}

WorkerOptions worker_options(const config::Config& config) {
    WorkerOptions o;
    o.queues = config.list("tasks.queues");
    o.concurrency = unsigned(std::min<std::int64_t>(config.integer("tasks.workers"), 256));
    o.lease = milliseconds(config.integer("tasks.lease"));
    o.retry_base = milliseconds(config.integer("tasks.retry_base"));
    o.retry_max = milliseconds(config.integer("tasks.retry_max"));
    o.shutdown_grace = milliseconds(config.integer("tasks.shutdown_grace"));
    return o;
}

}  // namespace famigo::tasks
