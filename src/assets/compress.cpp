#include "assets/compress.hpp"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zlib.h>

#include "core/error.hpp"

namespace famigo::assets {
namespace {

// zlib's API predates const; it never writes through next_in.
Bytef* input_bytes(std::string_view data) {
    return reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
}

}  // namespace

std::string gzip_compress(std::string_view data, int level) {
    z_stream stream{};
    // 15 window bits + 16 selects the gzip wrapper; its header has no name and
    // a zero mtime, so the output depends on the input alone.
    if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        throw Error("gzip: deflateInit2 failed");
    std::string out(deflateBound(&stream, uLong(data.size())), '\0');
    stream.next_in = input_bytes(data);
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = uInt(out.size());
    int rc = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (rc != Z_STREAM_END) throw Error("gzip: deflate did not finish");
    return out;
}

std::string brotli_compress(std::string_view data, int quality) {
    size_t size = BrotliEncoderMaxCompressedSize(data.size());
    if (size == 0) size = data.size() + 1024;  // 0 means "too large to bound"
    std::string out(size, '\0');
    if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, data.size(),
                               reinterpret_cast<const uint8_t*>(data.data()), &size,
                               reinterpret_cast<uint8_t*>(out.data())))
        throw Error("brotli: compression failed");
    out.resize(size);
    return out;
}

std::optional<std::string> gzip_decompress(std::string_view data, size_t max_size) {
    z_stream stream{};
    if (inflateInit2(&stream, 15 + 16) != Z_OK) return std::nullopt;
    stream.next_in = input_bytes(data);
    stream.avail_in = uInt(data.size());
    std::string out;
    char chunk[16384];
    int rc = Z_OK;
    while (rc == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(chunk);
        stream.avail_out = sizeof chunk;
        rc = inflate(&stream, Z_NO_FLUSH);
        out.append(chunk, sizeof chunk - stream.avail_out);
        if (out.size() > max_size) rc = Z_BUF_ERROR;
        if (rc == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) rc = Z_BUF_ERROR;
    }
    inflateEnd(&stream);
    if (rc != Z_STREAM_END || stream.avail_in != 0) return std::nullopt;
    return out;
}

std::optional<std::string> brotli_decompress(std::string_view data, size_t max_size) {
    BrotliDecoderState* state = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
    if (!state) return std::nullopt;
    const auto* next_in = reinterpret_cast<const uint8_t*>(data.data());
    size_t available_in = data.size();
    std::string out;
    uint8_t chunk[16384];
    BrotliDecoderResult result;
    do {
        uint8_t* next_out = chunk;
        size_t available_out = sizeof chunk;
        result = BrotliDecoderDecompressStream(state, &available_in, &next_in, &available_out,
                                               &next_out, nullptr);
        out.append(reinterpret_cast<const char*>(chunk), sizeof chunk - available_out);
        if (out.size() > max_size) result = BROTLI_DECODER_RESULT_ERROR;
    } while (result == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT);
    BrotliDecoderDestroyInstance(state);
    if (result != BROTLI_DECODER_RESULT_SUCCESS || available_in != 0) return std::nullopt;
    return out;
}

}  // namespace famigo::assets
