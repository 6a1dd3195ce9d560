#include "tasks/redis/redis_broker.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/strings.hpp"
#include "tasks/redis/celery_message.hpp"
#include "tasks/redis/connection.hpp"

namespace famigo::tasks {
namespace {

constexpr const char* kDelayed = "famigo.delayed";
constexpr const char* kUnacked = "famigo.unacked";
constexpr const char* kUnackedIndex = "famigo.unacked_index";
constexpr const char* kDead = "famigo.dead";
constexpr const char* kQueues = "famigo.queues";
constexpr const char* kLost = "famigo.lost";
constexpr const char* kIdemPrefix = "famigo.idem.";
// famigo.wake.<queue>: a token per enqueue, which an idle fetcher waits for
// with BLPOP, so a task starts within a round trip instead of a poll; at
// most kWakeTokens are kept (a busy queue needs none).
constexpr const char* kWakePrefix = "famigo.wake.";
constexpr int kWakeTokens = 64;

// KEYS: queue, delayed, queues set, wake list[, idempotency key]
// ARGV: message, due ms (0: now), id, idempotency ttl ms, queue name, wake tokens
constexpr const char* kEnqueue = R"lua(
if #KEYS == 5 then
  local old = redis.call('GET', KEYS[5])
  if old then return old end
  redis.call('SET', KEYS[5], ARGV[3], 'PX', ARGV[4])
end
redis.call('SADD', KEYS[3], ARGV[5])
if tonumber(ARGV[2]) > 0 then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
else
  redis.call('LPUSH', KEYS[1], ARGV[1])
  redis.call('LPUSH', KEYS[4], '1')
  redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[6]) - 1)
end
return ARGV[3]
)lua";

// Moves due delayed messages to the back of their queues and messages whose
// lease ran out to the front of theirs, then leases the next message of the
// first queue that has one. One script, so a message is always in exactly
// one place: a queue, famigo.delayed, or famigo.unacked. A message taken
// back from a lease that ran out counts one more lost delivery in
// famigo.lost (task id -> count), returned with the message, so a task that
// kills its worker every time is dead-lettered instead of looping forever.
// KEYS: delayed, unacked, unacked_index, lost, queue...
// ARGV: now ms, lease deadline ms, token
constexpr const char* kFetch = R"lua(
local function queue_of(m)
  return cjson.decode(m)['properties']['delivery_info']['routing_key']
end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
for _, m in ipairs(due) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('LPUSH', queue_of(m), m)
end
local lost = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1], 'LIMIT', 0, 100)
for _, tag in ipairs(lost) do
  local m = redis.call('HGET', KEYS[2], tag)
  redis.call('ZREM', KEYS[3], tag)
  redis.call('HDEL', KEYS[2], tag)
  if m then
    local envelope = cjson.decode(m)
    redis.call('HINCRBY', KEYS[4], envelope['headers']['id'], 1)
    redis.call('RPUSH', envelope['properties']['delivery_info']['routing_key'], m)
  end
end
for i = 5, #KEYS do
  local m = redis.call('RPOP', KEYS[i])
  if m then
    redis.call('HSET', KEYS[2], ARGV[3], m)
    redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
    local times = 0
    if redis.call('HLEN', KEYS[4]) > 0 then
      times = tonumber(redis.call('HGET', KEYS[4], cjson.decode(m)['headers']['id']) or 0)
    end
    return {m, times}
  end
end
return false
)lua";

// Settles a lease: false when it was lost (ran out and was taken back).
// A task done or dead forgets its lost deliveries.
// KEYS: unacked, unacked_index, lost[, target]
// ARGV: token, mode (ack | delay | dead | front), message, score, task id
constexpr const char* kSettle = R"lua(
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
if ARGV[2] == 'ack' or ARGV[2] == 'dead' then redis.call('HDEL', KEYS[3], ARGV[5]) end
if ARGV[2] == 'delay' then redis.call('ZADD', KEYS[4], ARGV[4], ARGV[3])
elseif ARGV[2] == 'dead' then redis.call('LPUSH', KEYS[4], ARGV[3])
elseif ARGV[2] == 'front' then redis.call('RPUSH', KEYS[4], ARGV[3]) end
return 1
)lua";

// KEYS: unacked_index; ARGV: token, new deadline
constexpr const char* kExtend = R"lua(
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1
)lua";

std::string ms_text(TimePoint t) {
    return std::to_string(to_ms(t));
}

TaskInfo info_of(const Task& t, std::string state, std::string error = {}) {
    TaskInfo info;
    info.id = t.id;
    info.name = t.name;
    info.queue = t.queue;
    info.state = std::move(state);
    info.retries = t.retries;
    info.error = std::move(error);
    info.args = t.args;
    info.kwargs = t.kwargs;
    info.enqueued_at = t.enqueued_at;
    return info;
}

// Messages another producer put in a queue may be anything; one that is not
// a task is reported as such rather than stopping a listing.
std::optional<Task> try_decode(const std::string& message) {
    try {
        return celery::decode(message);
    } catch (const BadTask&) {
        return std::nullopt;
    }
}

}  // namespace

RedisOptions parse_redis_url(std::string_view url) {
    constexpr std::string_view scheme = "redis://";
    if (url.substr(0, scheme.size()) != scheme)
        throw ConfigError("tasks URL '" + std::string(url) + "' is not redis://host:port/db");
    std::string_view rest = url.substr(scheme.size());
    RedisOptions o;
    if (auto at = rest.rfind('@'); at != std::string_view::npos) {
        std::string_view auth = rest.substr(0, at);
        if (auto colon = auth.find(':'); colon != std::string_view::npos)
            auth = auth.substr(colon + 1);
        o.password = std::string(auth);
        rest = rest.substr(at + 1);
    }
    std::string_view hostport = rest;
    if (auto slash = rest.find('/'); slash != std::string_view::npos) {
        hostport = rest.substr(0, slash);
        std::string_view db = rest.substr(slash + 1);
        if (!db.empty()) {
            auto n = strings::parse_u64(db);
            if (!n || *n > 15)
                throw ConfigError("tasks URL '" + std::string(url) + "': database '" +
                                  std::string(db) + "' is not 0-15");
            o.db = int(*n);
        }
    }
    if (auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
        auto port = strings::parse_u64(hostport.substr(colon + 1));
        if (!port || *port == 0 || *port > 65535)
            throw ConfigError("tasks URL '" + std::string(url) + "': bad port");
        o.port = int(*port);
        hostport = hostport.substr(0, colon);
    }
    if (!hostport.empty()) o.host = std::string(hostport);
    return o;
}

RedisBroker::RedisBroker(RedisOptions options)
    : options_(std::move(options)), pool_(std::make_unique<Connections>(options_)) {}

RedisBroker::~RedisBroker() = default;

std::string RedisBroker::describe() const {
    return "redis://" + options_.host + ":" + std::to_string(options_.port) + "/" +
           std::to_string(options_.db);
}

std::string RedisBroker::enqueue(std::string_view name, const Json& args, const Json& kwargs,
                                 const EnqueueOptions& options) {
    check_name("task name", name);
    check_name("queue name", options.queue);
    if (!args.is_array()) throw BadTask("task args must be a JSON array");
    if (!kwargs.is_object()) throw BadTask("task kwargs must be a JSON object");
    auto now = Clock::now();
    Task t;
    t.id = options.id.empty() ? new_task_id() : options.id;
    t.name = std::string(name);
    t.queue = options.queue;
    t.args = args;
    t.kwargs = kwargs;
    t.max_retries = options.max_retries;
    TimePoint due = due_time(options, now);
    if (due > now) t.eta = due;
    t.expires = options.expires;
    t.idempotency_key = options.idempotency_key;
    t.keep_result = options.keep_result;
    t.result_ttl = options.result_ttl;
    t.enqueued_at = now;
    std::vector<std::string> keys{t.queue, kDelayed, kQueues, kWakePrefix + t.queue};
    if (!t.idempotency_key.empty()) keys.push_back(kIdemPrefix + t.idempotency_key);
    bool celery_consumes = std::find(options_.celery_queues.begin(), options_.celery_queues.end(),
                                     t.queue) != options_.celery_queues.end();
    Reply r = pool_->eval(
        kEnqueue, keys,
        {celery::encode(t), t.eta && !celery_consumes ? ms_text(*t.eta) : "0", t.id,
         std::to_string(options_.idempotency_ttl.count()), t.queue, std::to_string(kWakeTokens)});
    return r.str;
}

std::optional<Lease> RedisBroker::try_fetch(const std::vector<std::string>& queues,
                                            milliseconds lease_time) {
    for (;;) {
        auto now = Clock::now();
        Lease lease;
        lease.token = new_task_id();
        lease.deadline = now + lease_time;
        std::vector<std::string> keys{kDelayed, kUnacked, kUnackedIndex, kLost};
        keys.insert(keys.end(), queues.begin(), queues.end());
        Reply r = pool_->eval(kFetch, keys, {ms_text(now), ms_text(lease.deadline), lease.token});
        if (r.nil() || r.elements.size() != 2) return std::nullopt;
        const std::string& message = r.elements[0].str;
        std::optional<Task> task = try_decode(message);
        if (!task) {
            // Not a task message: it goes to the dead letters instead of
            // blocking its queue.
            pool_->eval(kSettle, {kUnacked, kUnackedIndex, kLost, kDead},
                        {lease.token, "dead", message, "0", ""});
            continue;
        }
        lease.task = std::move(*task);
        lease.task.lost = int(r.elements[1].integer);
        if (lease.task.expires && *lease.task.expires <= now) {
            fail(lease, "expired", std::nullopt);
            continue;
        }
        if (lease.task.eta && *lease.task.eta > now + milliseconds(5)) {
            // Sent with an ETA straight into the queue (as Celery does): wait
            // in famigo.delayed instead of holding a lease until then.
            pool_->eval(kSettle, {kUnacked, kUnackedIndex, kLost, kDelayed},
                        {lease.token, "delay", message, ms_text(*lease.task.eta), lease.task.id});
            continue;
        }
        return lease;
    }
}

std::optional<Lease> RedisBroker::fetch(const std::vector<std::string>& queues, milliseconds lease,
                                        milliseconds wait) {
    auto until = std::chrono::steady_clock::now() + wait;
    std::vector<std::string> blpop{"BLPOP"};
    for (const auto& q : queues) blpop.push_back(kWakePrefix + q);
    blpop.emplace_back();
    for (;;) {
        if (auto got = try_fetch(queues, lease)) return got;
        auto now = std::chrono::steady_clock::now();
        if (now >= until) return std::nullopt;
        // Idle: wait for an enqueue's wake token, at most the poll interval
        // (ETAs coming due, leases running out and messages from producers
        // that send no token, such as Celery's, are found by the next poll).
        auto pause = std::chrono::duration_cast<milliseconds>(
            std::min<std::chrono::steady_clock::duration>(options_.poll_interval, until - now));
        if (pause.count() <= 0) continue;
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.3f", double(pause.count()) / 1000.0);
        blpop.back() = seconds;
        pool_->command(blpop);
    }
}

bool RedisBroker::extend(Lease& lease, milliseconds lease_time) {
    auto deadline = Clock::now() + lease_time;
    Reply r = pool_->eval(kExtend, {kUnackedIndex}, {lease.token, ms_text(deadline)});
    if (r.integer == 0) return false;
    lease.deadline = deadline;
    return true;
}

void RedisBroker::ack(const Lease& lease, const Json& result) {
    Reply r = pool_->eval(kSettle, {kUnacked, kUnackedIndex, kLost},
                          {lease.token, "ack", "", "0", lease.task.id});
    if (r.integer == 0 || !lease.task.keep_result) return;
    std::string key = celery::result_key(lease.task.id);
    std::string value = celery::result_value(lease.task.id, "SUCCESS", result);
    pool_->command({"SET", key, value, "PX",
                    std::to_string(std::max<std::int64_t>(1, lease.task.result_ttl.count()))});
    // Celery's AsyncResult.get() waits on this channel.
    pool_->command({"PUBLISH", key, value});
}

void RedisBroker::fail(const Lease& lease, std::string_view error,
                       std::optional<TimePoint> retry_at) {
    Reply stored = pool_->command({"HGET", kUnacked, lease.token});
    if (stored.nil()) return;  // the lease was lost; another worker has the task
    if (retry_at) {
        std::string m = celery::with_retry(stored.str, lease.task.retries + 1, retry_at, error);
        pool_->eval(kSettle, {kUnacked, kUnackedIndex, kLost, kDelayed},
                    {lease.token, "delay", m, ms_text(*retry_at), lease.task.id});
        return;
    }
    std::string m = celery::with_retry(stored.str, lease.task.retries, std::nullopt, error);
    Reply r = pool_->eval(kSettle, {kUnacked, kUnackedIndex, kLost, kDead},
                          {lease.token, "dead", m, "0", lease.task.id});
    if (r.integer == 0 || !lease.task.keep_result) return;
    std::string key = celery::result_key(lease.task.id);
    std::string value = celery::result_value(lease.task.id, "FAILURE", Json(std::string(error)));
    pool_->command({"SET", key, value, "PX",
                    std::to_string(std::max<std::int64_t>(1, lease.task.result_ttl.count()))});
    pool_->command({"PUBLISH", key, value});
}

void RedisBroker::release(const Lease& lease) {
    Reply stored = pool_->command({"HGET", kUnacked, lease.token});
    if (stored.nil()) return;
    pool_->eval(kSettle, {kUnacked, kUnackedIndex, kLost, lease.task.queue},
                {lease.token, "front", stored.str, "0", lease.task.id});
}

std::optional<TaskResult> RedisBroker::result(std::string_view id) {
    Reply r = pool_->command({"GET", celery::result_key(id)});
    if (r.nil()) return std::nullopt;
    Json meta = Json::parse(r.str, nullptr, false);
    if (!meta.is_object()) return std::nullopt;
    std::string state = meta.value("status", "");
    if (state == "SUCCESS") return TaskResult{state, meta["result"]};
    if (state == "FAILURE") {
        Json value = meta["result"];
        if (value.is_object() && value.contains("exc_message") && value["exc_message"].is_array() &&
            !value["exc_message"].empty())
            value = value["exc_message"][0];
        return TaskResult{state, value};
    }
    return std::nullopt;
}

std::vector<std::string> RedisBroker::known_queues() {
    Reply r = pool_->command({"SMEMBERS", kQueues});
    std::vector<std::string> out;
    for (auto& e : r.elements) out.push_back(e.str);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<TaskInfo> RedisBroker::list(std::string_view queue, std::size_t limit) {
    std::vector<TaskInfo> out;
    std::vector<std::string> queues =
        queue.empty() ? known_queues() : std::vector<std::string>{std::string(queue)};
    auto room = [&] { return out.size() < limit; };
    for (const auto& q : queues) {
        // The right end is the oldest (next to run).
        Reply r = pool_->command({"LRANGE", q, "0", "-1"});
        for (auto it = r.elements.rbegin(); it != r.elements.rend() && room(); ++it)
            if (auto t = try_decode(it->str)) out.push_back(info_of(*t, "ready"));
    }
    Reply delayed = pool_->command({"ZRANGE", kDelayed, "0", "-1"});
    for (auto& m : delayed.elements)
        if (auto t = try_decode(m.str); t && room() && (queue.empty() || t->queue == queue))
            out.push_back(info_of(*t, "scheduled"));
    Reply running = pool_->command({"HVALS", kUnacked});
    for (auto& m : running.elements)
        if (auto t = try_decode(m.str); t && room() && (queue.empty() || t->queue == queue))
            out.push_back(info_of(*t, "running"));
    return out;
}

std::vector<TaskInfo> RedisBroker::dead(std::size_t limit) {
    Reply r = pool_->command({"LRANGE", kDead, "0", "-1"});
    std::vector<TaskInfo> out;
    for (auto it = r.elements.rbegin(); it != r.elements.rend() && out.size() < limit; ++it)
        if (auto t = try_decode(it->str))
            out.push_back(info_of(*t, "dead", celery::error_of(it->str)));
    return out;
}

std::optional<TaskInfo> RedisBroker::show(std::string_view id) {
    for (auto& info : list("", std::size_t(-1)))
        if (info.id == id) return info;
    for (auto& info : dead(std::size_t(-1)))
        if (info.id == id) return info;
    if (auto r = result(id)) {
        TaskInfo info;
        info.id = std::string(id);
        info.state = r->state == "SUCCESS" ? "done" : "dead";
        return info;
    }
    return std::nullopt;
}

bool RedisBroker::retry_dead(std::string_view id) {
    Reply r = pool_->command({"LRANGE", kDead, "0", "-1"});
    for (auto& m : r.elements) {
        auto t = try_decode(m.str);
        if (!t || t->id != id) continue;
        if (pool_->command({"LREM", kDead, "1", m.str}).integer == 0) return false;
        pool_->command({"LPUSH", t->queue, celery::with_retry(m.str, 0, std::nullopt, "")});
        return true;
    }
    return false;
}

std::int64_t RedisBroker::purge(std::string_view queue) {
    std::string q(queue);
    std::int64_t n = pool_->command({"LLEN", q}).integer;
    pool_->command({"DEL", q});
    // Scheduled tasks of the queue go too.
    Reply delayed = pool_->command({"ZRANGE", kDelayed, "0", "-1"});
    for (auto& m : delayed.elements)
        if (auto t = try_decode(m.str); t && t->queue == queue)
            n += pool_->command({"ZREM", kDelayed, m.str}).integer;
    return n;
}

std::vector<QueueStats> RedisBroker::stats() {
    std::map<std::string, QueueStats> by_queue;
    auto now = Clock::now();
    for (const auto& q : known_queues()) {
        QueueStats& s = by_queue[q];
        s.queue = q;
        s.ready = pool_->command({"LLEN", q}).integer;
        Reply oldest = pool_->command({"LINDEX", q, "-1"});
        if (auto t = oldest.nil() ? std::nullopt : try_decode(oldest.str);
            t && t->enqueued_at.time_since_epoch().count() > 0)
            s.oldest_age_seconds =
                std::max(0.0, std::chrono::duration<double>(
                                  now - std::max(t->enqueued_at, t->eta.value_or(TimePoint{})))
                                  .count());
    }
    auto count = [&](const char* cmd, const char* key, std::int64_t QueueStats::*field) {
        Reply r = std::string(cmd) == "HVALS" ? pool_->command({cmd, key})
                                              : pool_->command({cmd, key, "0", "-1"});
        for (auto& m : r.elements)
            if (auto t = try_decode(m.str)) {
                QueueStats& s = by_queue[t->queue];
                s.queue = t->queue;
                ++(s.*field);
            }
    };
    count("ZRANGE", kDelayed, &QueueStats::scheduled);
    count("HVALS", kUnacked, &QueueStats::running);
    count("LRANGE", kDead, &QueueStats::dead);
    std::vector<QueueStats> out;
    for (auto& [name, s] : by_queue) out.push_back(s);
    return out;
}

void RedisBroker::ping() {
    pool_->command({"PING"});
}

// Take when free, or renew when ours: atomic, so two schedulers never both
// hold it. PX makes Redis itself end the lease of a scheduler that died.
constexpr const char* kRedisTryLock = R"lua(
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
)lua";

constexpr const char* kRedisUnlock = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua";

bool RedisBroker::try_lock(std::string_view name, std::string_view owner, milliseconds lease) {
    Reply r = pool_->eval(kRedisTryLock, {"famigo.lock." + std::string(name)},
                          {std::string(owner), std::to_string(std::max<long>(1, lease.count()))});
    return r.integer == 1;
}

void RedisBroker::unlock(std::string_view name, std::string_view owner) {
    pool_->eval(kRedisUnlock, {"famigo.lock." + std::string(name)}, {std::string(owner)});
}

std::optional<std::string> RedisBroker::get_value(std::string_view key) {
    Reply r = pool_->command({"GET", "famigo.value." + std::string(key)});
    if (r.nil()) return std::nullopt;
    return r.str;
}

void RedisBroker::set_value(std::string_view key, std::string_view value) {
    pool_->command({"SET", "famigo.value." + std::string(key), std::string(value)});
}

}  // namespace famigo::tasks
