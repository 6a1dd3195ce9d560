#include "http/client.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "core/strings.hpp"
#include "http/parser.hpp"

namespace famigo::http {
namespace {

using Clock = std::chrono::steady_clock;

class Socket {
  public:
    explicit Socket(int fd) : fd_(fd) {}
    ~Socket() {
        if (fd_ >= 0) ::close(fd_);
    }
    int fd() const { return fd_; }

  private:
    int fd_;
};

int remaining_ms(Clock::time_point deadline) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? int(left) : 0;
}

void wait_for(int fd, short events, Clock::time_point deadline, const char* what) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n == 0) throw ClientError(std::string("timed out ") + what);
    if (n < 0) throw ClientError(std::string("poll failed ") + what + ": " + std::strerror(errno));
}

}  // namespace

Url parse_url(const std::string& text) {
    const std::string scheme = "http://";
    if (!strings::istarts_with(text, scheme)) {
        throw Error("unsupported URL '" + text + "': only http:// is supported");
    }
    Url url;
    std::string rest = text.substr(scheme.size());
    size_t slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    if (slash != std::string::npos) url.target = rest.substr(slash);
    if (authority.empty()) throw Error("URL '" + text + "' has no host");
    if (authority.front() == '[') {
        size_t close = authority.find(']');
        if (close == std::string::npos) throw Error("URL '" + text + "': unclosed IPv6 literal");
        url.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') throw Error("URL '" + text + "': malformed port");
            url.port = authority.substr(close + 2);
        }
    } else {
        size_t colon = authority.rfind(':');
        url.host = authority.substr(0, colon);
        if (colon != std::string::npos) url.port = authority.substr(colon + 1);
    }
    auto port = strings::parse_u64(url.port);
    if (!port || *port == 0 || *port > 65535) throw Error("URL '" + text + "': malformed port");
    return url;
}

ClientResponse get(const Url& url, std::chrono::milliseconds timeout,
                   const std::vector<std::pair<std::string, std::string>>& headers) {
    const auto deadline = Clock::now() + timeout;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (int rc = ::getaddrinfo(url.host.c_str(), url.port.c_str(), &hints, &found); rc != 0)
        throw ClientError("cannot resolve " + url.host + ": " + ::gai_strerror(rc));
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, ::freeaddrinfo);

    std::string last_error = "no address";
    for (addrinfo* a = found; a; a = a->ai_next) {
        Socket sock(
            ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol));
        if (sock.fd() < 0) continue;
        if (::connect(sock.fd(), a->ai_addr, a->ai_addrlen) < 0 && errno != EINPROGRESS) {
            last_error = std::strerror(errno);
            continue;
        }
        wait_for(sock.fd(), POLLOUT, deadline, "connecting");
        int error = 0;
        socklen_t len = sizeof error;
        ::getsockopt(sock.fd(), SOL_SOCKET, SO_ERROR, &error, &len);
        if (error != 0) {
            last_error = std::strerror(error);
            continue;
        }

        std::string request = "GET " + url.target + " HTTP/1.1\r\nHost: " + url.host +
                              (url.port == "80" ? "" : ":" + url.port) +
                              "\r\nConnection: close\r\nUser-Agent: famigo-check\r\n";
        for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
        request += "\r\n";
        size_t sent = 0;
        while (sent < request.size()) {
            ssize_t n =
                ::send(sock.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
            if (n > 0) {
                sent += size_t(n);
                continue;
            }
            if (n < 0 && errno == EAGAIN) {
                wait_for(sock.fd(), POLLOUT, deadline, "sending");
                continue;
            }
            throw ClientError(std::string("send failed: ") + std::strerror(errno));
        }

        std::string raw;
        char buf[16384];
        while (true) {
            ssize_t n = ::recv(sock.fd(), buf, sizeof buf, 0);
            if (n > 0) {
                raw.append(buf, size_t(n));
                continue;
            }
            if (n == 0) break;
            if (errno == EAGAIN) {
                wait_for(sock.fd(), POLLIN, deadline, "waiting for the answer");
                continue;
            }
            if (errno == ECONNRESET && !raw.empty()) break;
            throw ClientError(std::string("receive failed: ") + std::strerror(errno));
        }

        ClientResponse response;
        size_t head_end = raw.find("\r\n\r\n");
        if (head_end == std::string::npos || !raw.starts_with("HTTP/1."))
            throw ClientError("malformed HTTP answer");
        std::string_view head(raw.data(), head_end);
        auto status = strings::parse_u64(head.substr(9, 3));
        if (!status) throw ClientError("malformed status line");
        response.status = int(*status);
        bool chunked = false;
        size_t pos = head.find("\r\n");
        while (pos != std::string_view::npos) {
            size_t next = head.find("\r\n", pos + 2);
            std::string_view line = head.substr(
                pos + 2, next == std::string_view::npos ? std::string_view::npos : next - pos - 2);
            size_t colon = line.find(':');
            if (colon != std::string_view::npos) {
                std::string name(line.substr(0, colon));
                std::string value(strings::trim(line.substr(colon + 1)));
                if (strings::iequals(name, "transfer-encoding") &&
                    strings::iequals(value, "chunked"))
                    chunked = true;
                response.headers.emplace_back(std::move(name), std::move(value));
            }
            pos = next;
        }
        std::string_view body = std::string_view(raw).substr(head_end + 4);
        if (chunked) {
            ChunkedDecoder decoder(UINT64_MAX);
            auto result = decoder.feed(body, response.body);
            if (result.error.status) throw ClientError("malformed chunked body");
        } else {
            response.body.assign(body);
        }
        return response;
    }
    throw ClientError("cannot connect to " + url.host + ":" + url.port + ": " + last_error);
}

}  // namespace famigo::http
