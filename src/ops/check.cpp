#include "ops/check.hpp"

#include <chrono>
#include <cstdio>
#include <ostream>

#include "http/client.hpp"

namespace famigo::ops {
namespace {

std::string format_ms(double ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", ms);
    return buf;
}

std::string perfdata(double ms, const CheckOptions& options) {
    return "time=" + format_ms(ms) + "ms;" + format_ms(options.warn_ms) + ";" +
           format_ms(options.crit_ms) + ";0";
}

}  // namespace

int run_check(const CheckOptions& options, std::ostream& out) {
    http::Url url;
    try {
        url = http::parse_url(options.url);
    } catch (const std::exception& e) {
        out << "HTTP UNKNOWN - " << e.what() << "\n";
        return kUnknown;
    }
    if (options.warn_ms < 0 || options.crit_ms < options.warn_ms || options.timeout_ms <= 0) {
        out << "HTTP UNKNOWN - thresholds must satisfy 0 <= warn <= crit, timeout > 0\n";
        return kUnknown;
    }
    auto started = std::chrono::steady_clock::now();
    http::ClientResponse response;
    try {
        std::vector<std::pair<std::string, std::string>> headers;
        if (!options.bearer_token.empty())
            headers.emplace_back("Authorization", "Bearer " + options.bearer_token);
        response = http::get(url, std::chrono::milliseconds(long(options.timeout_ms)), headers);
    } catch (const std::exception& e) {
        double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        out << "HTTP CRITICAL - " << e.what() << " | " << perfdata(ms, options) << "\n";
        return kCritical;
    }
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    std::string summary = "status " + std::to_string(response.status) + ", " +
                          std::to_string(response.body.size()) + " bytes in " + format_ms(ms) +
                          " ms";
    int code = kOk;
    std::string word = "OK";
    if (response.status != options.expect_status) {
        code = kCritical;
        word = "CRITICAL";
        summary += " (expected status " + std::to_string(options.expect_status) + ")";
    } else if (ms >= options.crit_ms) {
        code = kCritical;
        word = "CRITICAL";
    } else if (ms >= options.warn_ms) {
        code = kWarning;
        word = "WARNING";
    }
    out << "HTTP " << word << " - " << summary << " | " << perfdata(ms, options) << "\n";
    return code;
}

}  // namespace famigo::ops
