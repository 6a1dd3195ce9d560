// Content types for static files, chosen by file extension. The table also
// says which types are worth compressing: collectstatic writes .gz/.br variants
// only for those, and the static file view adds Vary: Accept-Encoding only to
// them. Text types carry "; charset=utf-8" because our sources are UTF-8 and a
// browser guessing the charset is a source of mojibake and XSS.
#pragma once

#include <string_view>

namespace famigo::assets {

struct MimeInfo {
    std::string_view type;  // full Content-Type value
    bool compressible;
};

// By the extension after the last '.' of the last path segment, compared
// case-insensitively; application/octet-stream (not compressible) when unknown.
MimeInfo mime_for(std::string_view filename);

}  // namespace famigo::assets
