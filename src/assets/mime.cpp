#include "assets/mime.hpp"

#include <algorithm>
#include <array>

#include "core/strings.hpp"

namespace famigo::assets {
namespace {

struct Row {
    std::string_view extension;
    MimeInfo info;
};

// Sorted by extension for binary search. Fonts in ttf/otf/eot are compressible
// (woff/woff2 are already compressed); so are icons, which are mostly bitmaps.
constexpr std::array kTable{
    Row{"7z", {"application/x-7z-compressed", false}},
    Row{"apk", {"application/vnd.android.package-archive", false}},
    Row{"avif", {"image/avif", false}},
    Row{"bmp", {"image/bmp", true}},
    Row{"br", {"application/octet-stream", false}},
    Row{"css", {"text/css; charset=utf-8", true}},
    Row{"csv", {"text/csv; charset=utf-8", true}},
    Row{"eot", {"application/vnd.ms-fontobject", true}},
    Row{"gif", {"image/gif", false}},
    Row{"gz", {"application/gzip", false}},
    Row{"htm", {"text/html; charset=utf-8", true}},
    Row{"html", {"text/html; charset=utf-8", true}},
    Row{"ico", {"image/vnd.microsoft.icon", true}},
    Row{"jpeg", {"image/jpeg", false}},
    Row{"jpg", {"image/jpeg", false}},
    Row{"js", {"text/javascript; charset=utf-8", true}},
    Row{"json", {"application/json", true}},
    Row{"map", {"application/json", true}},
    Row{"md", {"text/markdown; charset=utf-8", true}},
    Row{"mjs", {"text/javascript; charset=utf-8", true}},
    Row{"mp3", {"audio/mpeg", false}},
    Row{"mp4", {"video/mp4", false}},
    Row{"ogg", {"audio/ogg", false}},
    Row{"otf", {"font/otf", true}},
    Row{"pdf", {"application/pdf", false}},
    Row{"png", {"image/png", false}},
    Row{"svg", {"image/svg+xml", true}},
    Row{"ttf", {"font/ttf", true}},
    Row{"txt", {"text/plain; charset=utf-8", true}},
    Row{"wasm", {"application/wasm", true}},
    Row{"wav", {"audio/wav", false}},
    Row{"webm", {"video/webm", false}},
    Row{"webmanifest", {"application/manifest+json", true}},
    Row{"webp", {"image/webp", false}},
    Row{"woff", {"font/woff", false}},
    Row{"woff2", {"font/woff2", false}},
    Row{"xml", {"application/xml", true}},
    Row{"zip", {"application/zip", false}},
};

constexpr bool table_sorted() {
    for (size_t i = 1; i < kTable.size(); ++i)
        if (!(kTable[i - 1].extension < kTable[i].extension)) return false;
    return true;
}
static_assert(table_sorted(), "keep kTable sorted by extension");

constexpr MimeInfo kUnknown{"application/octet-stream", false};

}  // namespace

MimeInfo mime_for(std::string_view filename) {
    size_t slash = filename.rfind('/');
    if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
    size_t dot = filename.rfind('.');
    if (dot == std::string_view::npos || dot + 1 == filename.size()) return kUnknown;
    std::string_view ext = filename.substr(dot + 1);
    if (ext.size() > 16) return kUnknown;
    char lower[16];
    for (size_t i = 0; i < ext.size(); ++i) lower[i] = strings::ascii_lower(ext[i]);
    std::string_view key(lower, ext.size());
    auto it =
        std::lower_bound(kTable.begin(), kTable.end(), key,
                         [](const Row& row, std::string_view k) { return row.extension < k; });
    if (it == kTable.end() || it->extension != key) return kUnknown;
    return it->info;
}

}  // namespace famigo::assets
