// Content hashes for static files: BLAKE2b (libsodium's crypto_generichash) of
// the bytes, as lowercase hex. The first 12 hex digits go into fingerprinted
// file names (css/site.1a2b3c4d5e6f.css); a longer prefix makes strong ETags.
// The same bytes give the same name on every host, so servers behind a load
// balancer agree on URLs and validators without sharing state.
#pragma once

#include <string>
#include <string_view>

namespace famigo::assets {

inline constexpr size_t kFingerprintHexDigits = 12;

// 64 hex digits (the 32-byte digest).
std::string content_hash_hex(std::string_view bytes);

// "css/site.css" + hash -> "css/site.<first 12 hex>.css"; a name without an
// extension gets the fingerprint appended ("LICENSE.<hex>").
std::string fingerprinted_name(std::string_view logical_name, std::string_view hash_hex);

}  // namespace famigo::assets
