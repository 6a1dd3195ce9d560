// Process log: one JSON object per line on stderr, with a level filter. For
// operators and for tests that read the server's output; the HTTP access log
// is separate (http/access_log.hpp) because it is hot and buffered.
#pragma once

#include <string>
#include <string_view>

namespace famigo::log {

enum class Level { Debug, Info, Warn, Error };

void set_level(Level level);
// "debug", "info", "warn", "error"; throws ConfigError for anything else.
Level parse_level(std::string_view name);

// True when a message at `level` would be written: lets a hot path skip
// building a message nobody reads.
bool enabled(Level level);

void write(Level level, std::string_view message);
inline void debug(std::string_view m) {
    write(Level::Debug, m);
}
inline void info(std::string_view m) {
    write(Level::Info, m);
}
inline void warn(std::string_view m) {
    write(Level::Warn, m);
}
inline void error(std::string_view m) {
    write(Level::Error, m);
}

// Appends `text` to `out` as the inside of a JSON string (quotes not included).
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace famigo::log
