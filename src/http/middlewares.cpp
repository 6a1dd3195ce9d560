#include "http/middlewares.hpp"

#include <chrono>
#include <random>

#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "http/router.hpp"

namespace famigo::http {

namespace {
constexpr bool is_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
}
}  // namespace

std::string_view normalize_host(std::string_view host, HostBuffer& buffer) {
    std::string_view name = host;
    if (!host.empty() && host.front() == '[') {
        size_t close = host.find(']');
        if (close == std::string_view::npos) return {};
        std::string_view rest = host.substr(close + 1);
        if (!rest.empty() && (rest.front() != ':' || !is_port(rest.substr(1)))) return {};
        name = host.substr(0, close + 1);
        for (char c : name.substr(1, name.size() - 2))
            if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) return {};
    } else {
        size_t colon = host.rfind(':');
        if (colon != std::string_view::npos) {
            if (!is_port(host.substr(colon + 1))) return {};
            name = host.substr(0, colon);
        }
        if (!name.empty() && name.back() == '.')
            name.remove_suffix(1);  // "example.com." is example.com
        if (name.empty() || name.size() > 253) return {};
        for (char c : name)
            if (!is_host_char(c)) return {};
    }
    if (name.size() > buffer.size()) return {};
    for (size_t i = 0; i < name.size(); ++i) buffer[i] = strings::ascii_lower(name[i]);
    return {buffer.data(), name.size()};
}

bool host_matches(std::string_view host, const std::vector<std::string>& patterns) {
    for (const auto& pattern : patterns) {
        if (pattern == "*") return true;
        if (pattern.size() > 1 && pattern.front() == '.') {
            std::string_view domain = std::string_view(pattern).substr(1);
            if (strings::iequals(host, domain)) return true;
            if (host.size() > pattern.size() &&
                strings::iequals(host.substr(host.size() - pattern.size()), pattern))
                return true;
        } else if (strings::iequals(host, pattern)) {
            return true;
        }
    }
    return false;
}

std::string_view forwarded_client(std::string_view forwarded,
                                  const std::vector<IpNetwork>& trusted) {
    std::string_view client;
    // Right to left: the rightmost address that is not one of our proxies.
    while (true) {
        size_t comma = forwarded.rfind(',');
        std::string_view entry = strings::trim(
            comma == std::string_view::npos ? forwarded : forwarded.substr(comma + 1));
        std::string_view address = address_without_port(entry);
        if (address.empty()) return {};  // garbage (or an empty entry): believe none of it
        client = address;
        if (!in_networks(address, trusted) || comma == std::string_view::npos) return client;
        forwarded = forwarded.substr(0, comma);
    }
}

RequestIdMiddleware::RequestIdMiddleware(std::vector<std::string> trusted_proxies)
    : trusted_(parse_networks(trusted_proxies, "http.trusted_proxies")),
      prefix_(std::random_device{}()) {}

bool RequestIdMiddleware::before(Request& request, Response&) {
    assign(request);
    return false;
}

void RequestIdMiddleware::assign(Request& request) {
    if (!trusted_.empty() && in_networks(request.peer_address, trusted_)) {
        if (auto given = request.header("X-Request-Id")) {
            bool well_formed = !given->empty() && given->size() <= 64;
            for (char c : *given)
                if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                      c == '.'))
                    well_formed = false;
            if (well_formed) {
                request.request_id =
                    *given;  // a view into the request head: valid as long as the request
                return;
            }
        }
    }
    std::uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed);
    auto& buf = request.request_id_storage;
    for (int i = 0; i < 8; ++i)
        buf[size_t(i)] = encoding::hex_digit(unsigned(prefix_ >> (28 - 4 * i)));
    buf[8] = '-';
    for (int i = 0; i < 12; ++i)
        buf[9 + size_t(i)] = encoding::hex_digit(unsigned(n >> (44 - 4 * i)));
    request.request_id = std::string_view(buf.data(), 21);
}

void RequestIdMiddleware::after(Request& request, Response& response) {
    if (request.request_id.empty()) assign(request);  // answered inline: before() did not run
    response.set_header("X-Request-Id", request.request_id);
}

ProxyMiddleware::ProxyMiddleware(const std::vector<std::string>& trusted_proxies)
    : trusted_(parse_networks(trusted_proxies, "http.trusted_proxies")) {}

bool ProxyMiddleware::before(Request& request, Response&) {
    if (trusted_.empty() || !in_networks(request.peer_address, trusted_)) return false;
    if (auto forwarded = request.header("X-Forwarded-For")) {
        std::string_view client = forwarded_client(*forwarded, trusted_);
        if (!client.empty()) {
            request.client_address = client;
        } else {
            log::debug("X-Forwarded-For not believed (malformed entry) from " +
                       std::string(request.peer_address));
        }
    }
    if (auto proto = request.header("X-Forwarded-Proto"))
        request.secure = strings::iequals(strings::trim(*proto), "https");
    return false;
}

HostMiddleware::HostMiddleware(std::vector<std::string> allowed_hosts, std::string canonical_host,
                               std::vector<std::string> redirect_hosts)
    : allowed_(std::move(allowed_hosts)),
      canonical_(std::move(canonical_host)),
      redirect_(std::move(redirect_hosts)) {}

bool HostMiddleware::before(Request& request, Response& response) {
    HostBuffer buffer;
    std::string_view host = normalize_host(request.host(), buffer);
    if (!redirect_.empty() && !host.empty() && host_matches(host, redirect_) &&
        !strings::iequals(host, canonical_)) {
        std::string location = request.secure ? "https://" : "http://";
        location += canonical_;
        location += request.path;
        if (!request.query.empty()) {
            location += '?';
            location += request.query;
        }
        response.text(301, "Moved Permanently\n");
        response.set_header("Location", location);
        return true;
    }
    if (host.empty() || !host_matches(host, allowed_)) {
        response.text(400, "400 Bad Request: host not allowed\n");
        return true;
    }
    return false;
}

AccessLogMiddleware::AccessLogMiddleware(const std::string& destination) {
    if (destination == "-") {
        file_ = stdout;
        owns_file_ = false;
    } else {
        file_ = std::fopen(destination.c_str(), "a");
        if (!file_) throw ConfigError("cannot open access log '" + destination + "' for appending");
        owns_file_ = true;
    }
    flusher_ = std::thread([this] { run_flusher(); });
}

AccessLogMiddleware::~AccessLogMiddleware() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    flusher_.join();
    if (owns_file_) std::fclose(file_);
}

void AccessLogMiddleware::after(Request& request, Response& response) {
    using namespace std::chrono;
    auto now = system_clock::now();
    double ms =
        double(duration_cast<microseconds>(steady_clock::now() - request.started).count()) / 1000.0;
    char number[64];
    std::string line;
    line.reserve(256);
    line += "{\"ts\":";
    std::snprintf(number, sizeof number, "%.3f",
                  double(duration_cast<milliseconds>(now.time_since_epoch()).count()) / 1000.0);
    line += number;
    line += ",\"id\":\"";
    log::append_json_escaped(line, request.request_id);
    line += "\",\"client\":\"";
    log::append_json_escaped(line, request.client_address);
    line += "\",\"method\":\"";
    log::append_json_escaped(line, request.method_text);
    line += "\",\"target\":\"";
    log::append_json_escaped(line, request.target);
    line += "\",\"route\":\"";
    log::append_json_escaped(line, request.route ? std::string_view(request.route->name) : "none");
    std::snprintf(number, sizeof number, "\",\"status\":%d,\"bytes\":%llu,\"ms\":%.3f",
                  response.status, static_cast<unsigned long long>(response.body_size()), ms);
    line += number;
    line += ",\"ua\":\"";
    log::append_json_escaped(line, request.header("User-Agent").value_or(""));
    line += "\"}\n";
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        buffer_ += line;
        wake = buffer_.size() > 64 * 1024;
    }
    if (wake) wake_.notify_one();
}

void AccessLogMiddleware::flush() {
    std::string pending;
    {
        std::lock_guard lock(mutex_);
        pending.swap(buffer_);
    }
    if (!pending.empty()) {
        std::fwrite(pending.data(), 1, pending.size(), file_);
        std::fflush(file_);
    }
}

void AccessLogMiddleware::run_flusher() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, std::chrono::milliseconds(200));
        lock.unlock();
        flush();
        lock.lock();
    }
    lock.unlock();
    flush();
}

}  // namespace famigo::http
