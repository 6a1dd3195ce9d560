// An HTTP response under construction. Views and middleware set status,
// headers and one of three bodies: owned text, a shared immutable buffer (cached
// pages, small static files) or a range of an open file (sent with sendfile).
// A Response object is reused across a connection's requests, so its strings
// keep their capacity and the steady state allocates nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace famigo::http {

// An open file descriptor shared by the responses that send from it.
class OpenFile {
  public:
    explicit OpenFile(int fd) : fd_(fd) {}
    ~OpenFile();
    OpenFile(const OpenFile&) = delete;
    OpenFile& operator=(const OpenFile&) = delete;
    int fd() const { return fd_; }

  private:
    int fd_;
};

struct FileBody {
    std::shared_ptr<OpenFile> file;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

class Response {
  public:
    int status = 200;
    std::string body;                                // used unless one below is set
    std::shared_ptr<const std::string> shared_body;  // immutable shared bytes
    std::optional<FileBody> file_body;               // a file range
    bool close_connection = false;                   // send Connection: close, then close

    // Replaces every header of that name (case-insensitive) with one value.
    void set_header(std::string_view name, std::string_view value);
    // Adds another header of that name (Set-Cookie, Vary...).
    void add_header(std::string_view name, std::string_view value);
    std::optional<std::string_view> header(std::string_view name) const;
    void remove_header(std::string_view name);

    size_t header_count() const { return header_count_; }
    const std::pair<std::string, std::string>& header_at(size_t i) const { return headers_[i]; }

    // Length of whichever body is in use.
    std::uint64_t body_size() const;

    // Sets status, Content-Type and an owned body.
    void text(int status_code, std::string_view content,
              std::string_view content_type = "text/plain; charset=utf-8");

    void reset();

  private:
    // Slots are reused: header_count_ marks how many are live.
    std::vector<std::pair<std::string, std::string>> headers_;
    size_t header_count_ = 0;
};

// "OK", "Not Found"...; "Unknown" for codes without a reason phrase.
std::string_view reason_phrase(int status);

}  // namespace famigo::http
