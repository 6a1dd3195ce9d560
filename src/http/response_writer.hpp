// The output side of a connection: serialises responses (status line, our
// headers, the response's headers, the body) behind any earlier pipelined
// ones, and keeps what a write must send. Small bodies are copied behind the
// head so one write carries everything; large ones stay where they are (a
// shared or owned buffer sent in a gather write, or a file sent with
// sendfile(2)) and end the batch. Used only by Connection, on its I/O thread.
#pragma once

#include <array>
#include <boost/asio/buffer.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/request.hpp"
#include "http/response.hpp"

namespace famigo::http {

class ResponseWriter {
  public:
    // Appends `response` for `request`; `date` is the Date header's value. A
    // large body is moved out of the response into the tail.
    void serialize(const Request& request, Response& response, bool keep_alive,
                   std::string_view date);
    // Bytes sent as they are, such as "HTTP/1.1 100 Continue".
    void append_raw(std::string_view bytes) { out_.append(bytes); }

    bool has_output() const { return !out_.empty() || tail_; }
    // A large body ends the batch: nothing more is appended until it is sent.
    bool has_tail() const { return tail_; }
    size_t buffered() const { return out_.size(); }

    // What one gather write sends: the buffered output and a body in memory.
    std::array<boost::asio::const_buffer, 2> buffers() const;
    // Everything still to send, a file body included (for the byte counter).
    std::uint64_t bytes_pending() const;
    // The gather write completed: forgets what it sent. True when a file body
    // remains to be sent with send_file().
    bool written();

    enum class FileProgress { Done, WouldBlock, Failed };
    // Sends the file body on the non-blocking `socket_fd`; WouldBlock means
    // wait for writability and call again. `progressed` tells whether bytes went out.
    FileProgress send_file(int socket_fd, bool& progressed);

  private:
    void append_number(std::uint64_t n);

    std::string out_;
    bool tail_ = false;
    std::shared_ptr<const std::string> tail_shared_;
    std::string tail_owned_;
    std::optional<FileBody> tail_file_;
};

}  // namespace famigo::http
