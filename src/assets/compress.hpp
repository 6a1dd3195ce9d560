// Compression for precompressed static variants: gzip (zlib, with a fixed
// header so equal input gives equal bytes on every host) and brotli. The
// decoders exist for tests and tools that check a variant against its source.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace famigo::assets {

std::string gzip_compress(std::string_view data, int level = 9);
std::string brotli_compress(std::string_view data, int quality = 11);

// nullopt when the input is not a valid stream or would inflate past max_size.
std::optional<std::string> gzip_decompress(std::string_view data, size_t max_size = size_t(1)
                                                                                    << 30);
std::optional<std::string> brotli_decompress(std::string_view data, size_t max_size = size_t(1)
                                                                                      << 30);

}  // namespace famigo::assets
