#include "http/response_writer.hpp"

#include <sys/sendfile.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

#include "http/response.hpp"

namespace famigo::http {
namespace {

// Bodies at most this large are copied behind the head into one write; larger
// ones are written from where they are (gather write or sendfile).
constexpr size_t kCopyBodyLimit = 16 * 1024;
// Shared bodies (cached pages, static files in memory) are already immutable
// bytes we can point at: past this size they go out in a gather write with the
// head rather than being copied (measured: a 16 KiB page hit, copy 0.86x
// nginx, gather see docs/benchmarks.md).
constexpr size_t kCopySharedBodyLimit = 4 * 1024;
// sendfile(2) is called for at most this much at a time.
constexpr std::uint64_t kSendfileChunk = 1 << 20;

}  // namespace

void ResponseWriter::serialize(const Request& request, Response& response, bool keep_alive,
                               std::string_view date) {
    const int status = response.status;
    const bool no_body = status == 204 || status == 304 || (status >= 100 && status < 200);
    const bool head_only = request.method == Method::Head || no_body;
    const std::uint64_t body_size = response.body_size();

    out_.append(request.minor_version == 0 ? "HTTP/1.0 " : "HTTP/1.1 ");
    append_number(std::uint64_t(status));
    out_ += ' ';
    out_.append(reason_phrase(status));
    out_.append("\r\nServer: famigo\r\nDate: ");
    out_.append(date);
    if (!no_body) {
        out_.append("\r\nContent-Length: ");
        append_number(body_size);
    }
    if (!keep_alive)
        out_.append("\r\nConnection: close");
    else if (request.minor_version == 0)
        out_.append("\r\nConnection: keep-alive");
    for (size_t i = 0; i < response.header_count(); ++i) {
        const auto& [name, value] = response.header_at(i);
        out_.append("\r\n");
        out_.append(name);
        out_.append(": ");
        out_.append(value);
    }
    out_.append("\r\n\r\n");
    if (head_only || body_size == 0) return;

    if (response.file_body) {
        tail_file_ = std::move(response.file_body);
        tail_ = true;
    } else if (response.shared_body) {
        if (body_size <= kCopySharedBodyLimit) {
            out_.append(*response.shared_body);
        } else {
            tail_shared_ = std::move(response.shared_body);
            tail_ = true;
        }
    } else if (body_size <= kCopyBodyLimit) {
        out_.append(response.body);
    } else {
        tail_owned_.swap(response.body);
        tail_ = true;
    }
}

void ResponseWriter::append_number(std::uint64_t n) {
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof digits, n);
    out_.append(digits, size_t(result.ptr - digits));
}

std::array<boost::asio::const_buffer, 2> ResponseWriter::buffers() const {
    std::array<boost::asio::const_buffer, 2> buffers{boost::asio::buffer(out_),
                                                     boost::asio::const_buffer()};
    if (tail_shared_)
        buffers[1] = boost::asio::buffer(*tail_shared_);
    else if (!tail_owned_.empty())
        buffers[1] = boost::asio::buffer(tail_owned_);
    return buffers;
}

std::uint64_t ResponseWriter::bytes_pending() const {
    return out_.size() + (tail_shared_ ? tail_shared_->size() : tail_owned_.size()) +
           (tail_file_ ? tail_file_->length : 0);
}

bool ResponseWriter::written() {
    out_.clear();
    tail_shared_.reset();
    tail_owned_.clear();
    if (tail_file_) return true;
    tail_ = false;
    return false;
}

ResponseWriter::FileProgress ResponseWriter::send_file(int socket_fd, bool& progressed) {
    progressed = false;
    auto& file = *tail_file_;
    while (file.length > 0) {
        off_t offset = off_t(file.offset);
        size_t chunk = size_t(std::min(file.length, kSendfileChunk));
        ssize_t sent = ::sendfile(socket_fd, file.file->fd(), &offset, chunk);
        if (sent > 0) {
            file.offset += std::uint64_t(sent);
            file.length -= std::uint64_t(sent);
            progressed = true;
            continue;
        }
        if (sent < 0 && (errno == EAGAIN || errno == EINTR)) return FileProgress::WouldBlock;
        // The file shrank under us or the peer went away: the response is broken.
        return FileProgress::Failed;
    }
    tail_file_.reset();
    tail_ = false;
    return FileProgress::Done;
}

}  // namespace famigo::http
