// A fast, stable 64-bit hash for cache keys and entity tags. Stable means the
// same bytes give the same number in every process and build, which matters
// because hosts behind one load balancer share memcached keys and must send
// the same ETag for the same page. Not a cryptographic hash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace famigo::cache {

std::uint64_t hash64(std::string_view bytes, std::uint64_t seed = 0);
// Appends 16 lower-case hex digits.
void append_hex64(std::string& out, std::uint64_t value);

}  // namespace famigo::cache
