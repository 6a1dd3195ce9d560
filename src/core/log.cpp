#include "core/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "core/encoding.hpp"
#include "core/error.hpp"

namespace famigo::log {
namespace {
std::atomic<Level> g_level{Level::Info};
std::mutex g_mutex;

const char* level_name(Level level) {
    switch (level) {
        case Level::Debug:
            return "debug";
        case Level::Info:
            return "info";
        case Level::Warn:
            return "warn";
        case Level::Error:
            return "error";
    }
    return "info";
}
}  // namespace

bool enabled(Level level) {
    return level >= g_level.load(std::memory_order_relaxed);
}

void set_level(Level level) {
    g_level.store(level);
}

Level parse_level(std::string_view name) {
    if (name == "debug") return Level::Debug;
    if (name == "info") return Level::Info;
    if (name == "warn") return Level::Warn;
    if (name == "error") return Level::Error;
    throw ConfigError("unknown log level '" + std::string(name) +
                      "' (expected debug, info, warn or error)");
}

void append_json_escaped(std::string& out, std::string_view text) {
    for (unsigned char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\u";
                    encoding::append_hex_number(out, c, 4);
                } else {
                    out += char(c);
                }
        }
    }
}

void write(Level level, std::string_view message) {
    if (!enabled(level)) return;
    auto now = std::chrono::system_clock::now();
    std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[64];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, int(millis));
    std::string line = "{\"ts\":\"";
    line += stamp;
    line += "\",\"level\":\"";
    line += level_name(level);
    line += "\",\"msg\":\"";
    append_json_escaped(line, message);
    line += "\"}\n";
    std::lock_guard lock(g_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

}  // namespace famigo::log
