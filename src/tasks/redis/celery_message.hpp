// Internal to the Redis backend: tasks as Celery task protocol 2 messages in
// kombu's Redis transport envelope (JSON serialization), and task results in
// the layout of Celery's Redis result backend. Celery workers and Python
// producers read and write exactly these shapes, which is what lets a famigo
// worker and a Celery worker share one Redis.
#pragma once

#include <string>
#include <string_view>

#include "tasks/broker.hpp"

namespace famigo::tasks::celery {

// The kombu envelope of a task, as stored in a queue's Redis list.
std::string encode(const Task& task);
// Reads an envelope written by famigo or by Celery/kombu (body plain or
// base64). Throws BadTask when it is not a protocol 2 JSON task message.
Task decode(std::string_view message);
// The same message with another retry count, ETA and (for dead letters) error.
std::string with_retry(std::string_view message, int retries, std::optional<TimePoint> eta,
                       std::string_view error);
// The queue a message goes to (delivery_info.routing_key), read without
// decoding its body.
std::string queue_of(std::string_view message);
std::string error_of(std::string_view message);

// "celery-task-meta-<id>": the result backend's key and its JSON value.
std::string result_key(std::string_view id);
std::string result_value(std::string_view id, std::string_view state, const Json& value);

// ISO 8601 in UTC with microseconds and "+00:00", as Python's isoformat().
std::string iso_time(TimePoint t);
// Parses what Celery writes for eta/expires (with or without fraction, offset
// or Z); nullopt when it cannot.
std::optional<TimePoint> parse_iso_time(std::string_view text);

}  // namespace famigo::tasks::celery
