// Durations written as configuration writes them: "250ms", "30s", "5m", "2h"
// or plain milliseconds. The config loader reads DurationMs keys with it, and
// so do `famigo beat`'s "every" schedules and the Nagios checks' age flags,
// so one spelling works everywhere.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace famigo::config {

// Milliseconds; nullopt when malformed or out of range.
std::optional<std::int64_t> parse_duration_ms(std::string_view text);

}  // namespace famigo::config
