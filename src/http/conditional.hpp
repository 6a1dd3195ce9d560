// The general HTTP rules of conditional and partial requests and content
// negotiation (RFC 9110), as pure functions so they can be tested alone: HTTP
// dates, entity-tag comparison (If-None-Match, If-Match, If-Range), single byte
// ranges, and Accept-Encoding negotiation between an identity representation
// and its compressed variants. The static file view (assets) and the page
// cache and conditional GET (cache) apply them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace famigo::http {

// "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate).
std::string http_date(std::int64_t unix_seconds);
// Accepts the three formats HTTP/1.1 recipients must: IMF-fixdate, RFC 850 and
// asctime. nullopt for anything else.
std::optional<std::int64_t> parse_http_date(std::string_view text);

// `etag` is a full entity-tag as we send it: "\"abc\"" (strong). `list` is a
// header value such as `W/"abc", "def"` or `*`.
bool etag_matches_weak(std::string_view list, std::string_view etag);    // If-None-Match
bool etag_matches_strong(std::string_view list, std::string_view etag);  // If-Match, If-Range

struct RangeRequest {
    enum class Kind {
        Ignore,         // no usable Range: serve the whole representation with 200
        Satisfiable,    // 206 with offset/length
        Unsatisfiable,  // 416 with Content-Range: bytes */size
    };
    Kind kind = Kind::Ignore;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};
// One "bytes=a-b", "bytes=a-" or "bytes=-n" against a representation of
// `size` bytes. Several ranges, other units and bad syntax give Ignore, which
// RFC 9110 allows (a server may always answer a Range request with 200).
RangeRequest parse_range(std::string_view header, std::uint64_t size);

enum class Encoding { Identity, Gzip, Brotli };
std::string_view encoding_token(Encoding encoding);  // "", "gzip", "br"

// Picks the representation for an Accept-Encoding header (nullopt: header
// absent). The highest q among the available codings wins, ties go to br, then
// gzip; q=0 refuses a coding. Identity is chosen when nothing compressed is
// acceptable, or when the client ranks identity explicitly above it.
Encoding choose_encoding(std::optional<std::string_view> accept_encoding, bool have_brotli,
                         bool have_gzip);

}  // namespace famigo::http
