// Rules that keep the static file view inside its root. A request names a file
// by a "logical name" (css/site.css): relative, '/'-separated, and every segment
// a plain file name. Anything that could climb out (.., encoded slashes,
// backslashes, NUL, overlong UTF-8 dots) or reach hidden files (.git, .env) is
// refused before the file system sees it. Symlinks are checked separately, at
// open time (see static_files.cpp), because only the file system knows them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace famigo::assets {

inline constexpr size_t kMaxLogicalName = 1024;
inline constexpr size_t kMaxSegment = 255;

// True when every byte sequence is well-formed UTF-8: no overlong forms (the
// classic "%c0%ae" dot), no surrogates, nothing past U+10FFFF.
bool is_valid_utf8(std::string_view text);

// A decoded logical name: non-empty segments that do not start with '.', no
// backslash, no control characters, valid UTF-8, within the length limits.
bool is_safe_logical_name(std::string_view name);

// Checks a raw (percent-encoded) request path such as "/static/css/site.css" and
// returns it decoded, or nullopt. Beyond is_safe_logical_name's rules on the
// decoded segments it refuses encoded '/', '\', NUL and '%' (double encoding),
// raw backslashes and control characters, and malformed escapes.
std::optional<std::string> decode_safe_raw_path(std::string_view raw_path);

}  // namespace famigo::assets
