#include "tasks/redis/celery_message.hpp"

#include <unistd.h>

#include <cstdio>
#include <ctime>

#include "core/encoding.hpp"

namespace famigo::tasks::celery {
namespace {

// Headers of our own beside Celery's: a Celery worker keeps unknown headers
// on the request and otherwise ignores them.
constexpr const char* kMaxRetries = "famigo_max_retries";
constexpr const char* kEnqueued = "famigo_enqueued";
constexpr const char* kResultTtl = "famigo_result_ttl";
constexpr const char* kIdempotency = "famigo_idempotency_key";
constexpr const char* kError = "famigo_error";

const std::string& origin() {
    static const std::string name = [] {
        char host[256] = {};
        gethostname(host, sizeof host - 1);
        return std::to_string(getpid()) + "@" + host;
    }();
    return name;
}

Json time_or_null(const std::optional<TimePoint>& t) {
    return t ? Json(iso_time(*t)) : Json(nullptr);
}

Json parse_envelope(std::string_view message) {
    Json envelope = Json::parse(message, nullptr, false);
    if (!envelope.is_object() || !envelope.contains("headers") ||
        !envelope["headers"].is_object() || !envelope.contains("body"))
        throw BadTask("not a kombu message envelope");
    return envelope;
}

// A header or property: `fallback` when absent or null (Celery 5 writes
// ignore_result, expires, group... as null), BadTask when of another type.
template <typename T>
T celery_field_or(const Json& object, const char* key, T fallback) {
    if (!object.is_object()) return fallback;
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return fallback;
    try {
        return it->get<T>();
    } catch (const Json::exception&) {
        throw BadTask(std::string("task message field '") + key + "' has the wrong type");
    }
}

}  // namespace

std::string iso_time(TimePoint t) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
    std::time_t seconds = std::time_t(us / 1000000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(us % 1000000));
    return buf;
}

std::optional<TimePoint> parse_iso_time(std::string_view text) {
    std::tm tm{};
    int consumed = 0;
    std::string s(text);
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6)
        return std::nullopt;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    std::int64_t micros = 0;
    std::size_t i = std::size_t(consumed);
    if (i < s.size() && s[i] == '.') {
        int digits = 0;
        for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits)
            if (digits < 6) micros = micros * 10 + (s[i] - '0');
        for (; digits < 6; ++digits) micros *= 10;
    }
    std::int64_t offset = 0;  // seconds east of UTC
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        int hh = 0, mm = 0;
        if (std::sscanf(s.c_str() + i + 1, "%2d:%2d", &hh, &mm) != 2) return std::nullopt;
        offset = (s[i] == '+' ? 1 : -1) * (hh * 3600 + mm * 60);
    }
    std::int64_t epoch = std::int64_t(timegm(&tm)) - offset;
    return TimePoint(std::chrono::duration_cast<Clock::duration>(
        std::chrono::seconds(epoch) + std::chrono::microseconds(micros)));
}

std::string encode(const Task& task) {
    Json embed = {
        {"callbacks", nullptr}, {"errbacks", nullptr}, {"chain", nullptr}, {"chord", nullptr}};
    Json body = Json::array({task.args, task.kwargs, embed});
    Json headers = {
        {"lang", "py"},
        {"task", task.name},
        {"id", task.id},
        {"shadow", nullptr},
        {"eta", time_or_null(task.eta)},
        {"expires", time_or_null(task.expires)},
        {"group", nullptr},
        {"group_index", nullptr},
        {"retries", task.retries},
        {"timelimit", Json::array({nullptr, nullptr})},
        {"root_id", task.id},
        {"parent_id", nullptr},
        {"argsrepr", task.args.dump()},
        {"kwargsrepr", task.kwargs.dump()},
        {"origin", origin()},
        {"ignore_result", !task.keep_result},
        {kMaxRetries, task.max_retries},
        {kEnqueued, to_ms(task.enqueued_at)},
        {kResultTtl, task.result_ttl.count()},
    };
    if (!task.idempotency_key.empty()) headers[kIdempotency] = task.idempotency_key;
    Json envelope = {
        {"body", encoding::base64_encode(body.dump())},
        {"content-encoding", "utf-8"},
        {"content-type", "application/json"},
        {"headers", std::move(headers)},
        {"properties",
         {{"correlation_id", task.id},
          {"reply_to", ""},
          {"delivery_mode", 2},
          {"delivery_info", {{"exchange", ""}, {"routing_key", task.queue}}},
          {"priority", 0},
          {"body_encoding", "base64"},
          {"delivery_tag", new_task_id()}}},
    };
    return envelope.dump();
}

Task decode(std::string_view message) {
    Json envelope = parse_envelope(message);
    const Json& headers = envelope["headers"];
    const Json properties = celery_field_or(envelope, "properties", Json::object());
    std::string content_type = celery_field_or<std::string>(envelope, "content-type", "none");
    if (content_type != "application/json")
        throw BadTask("task message is not JSON (content-type " + content_type + ")");
    std::string raw = celery_field_or<std::string>(envelope, "body", "");
    if (celery_field_or<std::string>(properties, "body_encoding", "") == "base64") {
        auto decoded = encoding::base64_decode(raw);
        if (!decoded) throw BadTask("task message body is not valid base64");
        raw = std::move(*decoded);
    }
    Json body = Json::parse(raw, nullptr, false);
    if (!body.is_array() || body.size() < 2 || !body[0].is_array() || !body[1].is_object())
        throw BadTask("task message body is not [args, kwargs, embed] (protocol 2)");
    Task t;
    t.id = celery_field_or<std::string>(headers, "id", "");
    t.name = celery_field_or<std::string>(headers, "task", "");
    if (t.id.empty() || t.name.empty()) throw BadTask("task message has no id or task header");
    t.queue = celery_field_or<std::string>(
        celery_field_or(properties, "delivery_info", Json::object()), "routing_key", "");
    t.args = body[0];
    t.kwargs = body[1];
    t.retries = celery_field_or(headers, "retries", 0);
    t.max_retries = celery_field_or(headers, kMaxRetries, 3);
    if (auto eta = celery_field_or<std::string>(headers, "eta", ""); !eta.empty())
        t.eta = parse_iso_time(eta);
    if (auto expires = celery_field_or<std::string>(headers, "expires", ""); !expires.empty())
        t.expires = parse_iso_time(expires);
    t.idempotency_key = celery_field_or<std::string>(headers, kIdempotency, "");
    // Celery stores a result unless told to ignore it (null: not told); a
    // result ttl of a day is Celery's result_expires default.
    t.keep_result = !celery_field_or(headers, "ignore_result", false);
    t.result_ttl =
        milliseconds(celery_field_or(headers, kResultTtl, std::int64_t(24 * 3600 * 1000)));
    t.enqueued_at = from_ms(celery_field_or(headers, kEnqueued, std::int64_t(0)));
    return t;
}

std::string with_retry(std::string_view message, int retries, std::optional<TimePoint> eta,
                       std::string_view error) {
    Json envelope = parse_envelope(message);
    Json& headers = envelope["headers"];
    headers["retries"] = retries;
    headers["eta"] = time_or_null(eta);
    if (!error.empty()) headers[kError] = std::string(error);
    envelope["properties"]["delivery_tag"] = new_task_id();
    return envelope.dump();
}

std::string queue_of(std::string_view message) {
    Json envelope = parse_envelope(message);
    return celery_field_or<std::string>(
        celery_field_or(celery_field_or(envelope, "properties", Json::object()), "delivery_info",
                        Json::object()),
        "routing_key", "");
}

std::string error_of(std::string_view message) {
    return celery_field_or<std::string>(parse_envelope(message)["headers"], kError, "");
}

std::string result_key(std::string_view id) {
    return "celery-task-meta-" + std::string(id);
}

std::string result_value(std::string_view id, std::string_view state, const Json& value) {
    Json meta = {
        {"status", state},
        {"result", state == "SUCCESS" ? value
                                      : Json{{"exc_type", "Exception"},
                                             {"exc_message", Json::array({value})},
                                             {"exc_module", "builtins"}}},
        {"traceback", nullptr},
        {"children", Json::array()},
        {"date_done", iso_time(Clock::now())},
        {"task_id", id},
    };
    return meta.dump();
}

}  // namespace famigo::tasks::celery
