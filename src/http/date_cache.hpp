// The Date header value (RFC 9110 IMF-fixdate), formatted at most once a second
// per thread: it is on every response, so it must cost next to nothing.
#pragma once

#include <ctime>
#include <string_view>

namespace famigo::http {

class DateCache {
  public:
    std::string_view now();

  private:
    std::time_t second_ = 0;
    char text_[32] = {};
    size_t size_ = 0;
};

// Formats `t` as "Sun, 06 Nov 1994 08:49:37 GMT" into `out` (at least 30 bytes); returns the
// length.
size_t format_http_date(std::time_t t, char* out);

}  // namespace famigo::http
