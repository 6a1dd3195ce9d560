// Wall-clock time as text for stored documents: ISO 8601 in UTC to the second,
// "2026-11-28T00:36:56Z" (sorts as text in time order; Django's isoformat() of
// a UTC datetime without microseconds, with Z).
#pragma once

#include <ctime>
#include <string>

namespace famigo {

std::string utc_iso8601(std::time_t t);
std::string utc_now_iso();

}  // namespace famigo
