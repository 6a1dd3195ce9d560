#include "tasks/broker.hpp"

#include <random>

#include "core/encoding.hpp"

namespace famigo::tasks {

std::string new_task_id() {
    // One generator per thread, seeded from the OS: ids of concurrent
    // enqueues must never collide, and a lock here would serialize them.
    thread_local std::mt19937_64 engine{[] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }()};
    std::uint64_t hi = engine(), lo = engine();
    hi = (hi & ~0xF000ULL) | 0x4000ULL;                          // version 4
    lo = (lo & ~0xC000000000000000ULL) | 0x8000000000000000ULL;  // RFC 4122 variant
    std::string out;
    out.reserve(36);
    encoding::append_hex_number(out, hi >> 32, 8);
    out += '-';
    encoding::append_hex_number(out, (hi >> 16) & 0xFFFF, 4);
    out += '-';
    encoding::append_hex_number(out, hi & 0xFFFF, 4);
    out += '-';
    encoding::append_hex_number(out, lo >> 48, 4);
    out += '-';
    encoding::append_hex_number(out, lo & 0xFFFFFFFFFFFFULL, 12);
    return out;
}

void check_name(std::string_view what, std::string_view name) {
    if (name.empty() || name.size() > 200)
        throw BadTask(std::string(what) + " must be 1-200 characters");
    for (char c : name)
        if (c <= ' ' || c > '~')
            throw BadTask(std::string(what) + " '" + std::string(name) +
                          "' may hold only printable ASCII without spaces");
}

TimePoint due_time(const EnqueueOptions& options, TimePoint now) {
    if (options.eta) return *options.eta;
    return now + options.countdown;
}

std::int64_t to_ms(TimePoint t) {
    return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_ms(std::int64_t ms) {
    return TimePoint(std::chrono::duration_cast<Clock::duration>(milliseconds(ms)));
}

}  // namespace famigo::tasks
