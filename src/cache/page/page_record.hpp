// What the page cache stores under a key: a page (status, headers, body, ETag,
// freshness), or, for responses that vary on request headers, a marker naming
// those headers so the next lookup can build the key of the right variant.
// In the memory backend a record is kept as an object and its body is shared
// with every response that sends it; for memcached it is encoded to bytes
// (encode/decode below, versioned so a format change is a miss, not garbage).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cache/cache.hpp"

namespace famigo::cache {

struct PageRecord final : CachedObject {
    enum class Kind : std::uint8_t { Page = 1, Vary = 2 };
    Kind kind = Kind::Page;
    // The text that was hashed into the key: compared on every hit, so a hash
    // collision is a miss rather than somebody else's page.
    std::string identity;
    std::uint64_t generation = 0;  // of the namespace when filled
    std::int64_t stored_ms = 0;    // wall clock
    std::int64_t fresh_until_ms = 0;
    std::vector<std::string> vary;  // lower-case request header names
    // Kind::Page only.
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  // ETag included
    std::string etag;
    std::shared_ptr<const std::string> body;

    std::size_t memory_size() const override;
};

std::string encode(const PageRecord& record);
// Null when the bytes are not a record of this format version.
std::shared_ptr<const PageRecord> decode(std::string_view bytes);

}  // namespace famigo::cache
