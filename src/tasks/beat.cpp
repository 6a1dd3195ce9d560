#include "tasks/beat.hpp"

#include <unistd.h>

#include "core/log.hpp"
#include "core/strings.hpp"

namespace famigo::tasks {
namespace {

std::optional<std::string> valid_beat_schedules(const config::Value& value) {
    std::vector<std::string> names;
    for (const auto& line : std::get<std::vector<std::string>>(value)) {
        try {
            auto entry = parse_beat_entry(line);
            for (const auto& n : names)
                if (n == entry.name) return "two schedules are named '" + n + "'";
            names.push_back(entry.name);
        } catch (const BadSchedule& e) {
            return e.what();
        }
    }
    return std::nullopt;
}

std::string beat_owner() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return std::string(host) + ":" + std::to_string(getpid()) + ":" + new_task_id().substr(0, 8);
}

}  // namespace

void define_beat_config(config::Schema& schema) {
    using config::Kind;
    schema
        .add({"beat.schedules", Kind::StringList,
              "purge-sessions every 1h famigo.sessions.purge,backup cron 30 3 * * * famigo.backup,"
              "reindex cron 0 4 * * * famigo.search.reindex",
              "periodic tasks of famigo beat, one \"NAME every DURATION TASK [ARGS]\" or "
              "\"NAME cron MIN HOUR DAY MONTH WEEKDAY TASK [ARGS]\" (UTC) each",
              valid_beat_schedules})
        .add({"beat.lease", Kind::DurationMs, "30s",
              "lease of the scheduler lock: another famigo beat takes over this long after the "
              "active one stops renewing it",
              config::positive})
        .add({"beat.tick", Kind::DurationMs, "1s",
              "how often the active famigo beat renews its lock and enqueues what is due (keep "
              "it well under beat.lease)",
              config::positive})
        .add({"beat.queue",
              Kind::String,
              std::string(kDefaultQueue),
              "the queue famigo beat sends periodic tasks to",
              {}})
        .add({"beat.in_serve",
              Kind::Boolean,
              "false",
              "famigo serve also runs the scheduler (a thread taking part in the same lock), "
              "for one machine without a famigo beat process",
              {}});
}

BeatOptions beat_options(const config::Config& config) {
    BeatOptions o;
    for (const auto& line : config.list("beat.schedules"))
        o.entries.push_back(parse_beat_entry(line));
    o.lease = milliseconds(config.integer("beat.lease"));
    o.tick = milliseconds(config.integer("beat.tick"));
    o.queue = config.str("beat.queue");
    return o;
}

Beat::Beat(Broker& broker, BeatOptions options) : broker_(broker), options_(std::move(options)) {
    if (options_.owner.empty()) options_.owner = beat_owner();
}

bool Beat::tick(TimePoint now) {
    bool held = broker_.try_lock(kBeatLock, options_.owner, options_.lease);
    if (held != leader_) {
        if (held)
            log::info("beat: " + options_.owner + " is the active scheduler (" +
                      std::to_string(options_.entries.size()) + " schedule(s))");
        else
            log::warn("beat: " + options_.owner + " lost the scheduler lock; standing by");
        leader_ = held;
    }
    if (!held) return false;
    for (const auto& entry : options_.entries) run_due(entry, now);
    return true;
}

void Beat::run_due(const BeatEntry& entry, TimePoint now) {
    const std::string key = "beat.last." + entry.name;
    auto stored = broker_.get_value(key);
    auto last_ms = stored ? strings::parse_i64(*stored) : std::nullopt;
    if (!last_ms) {
        // First sight of this schedule: its first run is one period from now.
        broker_.set_value(key, std::to_string(to_ms(now)));
        return;
    }
    if (entry.schedule.next_after(from_ms(*last_ms)) > now) return;
    EnqueueOptions o;
    o.queue = options_.queue;
    o.idempotency_key = "beat:" + entry.name + ":" + std::to_string(*last_ms);
    std::string id = broker_.enqueue(entry.task, entry.args, Json::object(), o);
    // The run is recorded as now, not as the slot it was due: after downtime
    // the next slot is computed from now, so missed slots run once, not N times.
    broker_.set_value(key, std::to_string(to_ms(now)));
    ++enqueued_;
    log::info("beat: sent " + entry.task + " (" + entry.name + ", " + entry.schedule.text() +
              ") as " + id);
}

void Beat::release() {
    if (leader_) broker_.unlock(kBeatLock, options_.owner);
    leader_ = false;
}

BeatThread::BeatThread(Broker& broker, BeatOptions options) : beat_(broker, std::move(options)) {}

BeatThread::~BeatThread() {
    stop();
}

void BeatThread::start() {
    thread_ = std::thread([this] { run(); });
}

void BeatThread::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            beat_.tick(Clock::now());
        } catch (const Error& e) {
            log::warn(std::string("beat: ") + e.what());
        }
        lock.lock();
        wake_.wait_for(lock, beat_.options().tick, [this] { return stopping_; });
    }
}

void BeatThread::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    try {
        beat_.release();
    } catch (const Error& e) {
        log::warn(std::string("beat: ") + e.what());
    }
}

}  // namespace famigo::tasks
