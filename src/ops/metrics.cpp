#include "ops/metrics.hpp"

#include <dirent.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <fstream>

#include "http/router.hpp"
#include "http/server.hpp"

namespace famigo::ops {

void Exposition::append_label_value(std::string& out, std::string_view value) {
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

void Exposition::append_number(std::string& out, double value) {
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    if (value == std::floor(value) && std::fabs(value) < 9.0e15) {
        char buf[32];
        auto r = std::to_chars(buf, buf + sizeof buf, std::int64_t(value));
        out.append(buf, size_t(r.ptr - buf));
        return;
    }
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, size_t(r.ptr - buf));
}

void Exposition::family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    for (char c : help) {  // HELP escapes only backslash and newline
        if (c == '\\')
            out_ += "\\\\";
        else if (c == '\n')
            out_ += "\\n";
        else
            out_ += c;
    }
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
}

void Exposition::sample(std::string_view name, Labels labels, double value) {
    out_ += name;
    if (labels.size() > 0) {
        out_ += '{';
        bool first = true;
        for (const auto& [key, v] : labels) {
            if (!first) out_ += ',';
            first = false;
            out_ += key;
            out_ += "=\"";
            append_label_value(out_, v);
            out_ += '"';
        }
        out_ += '}';
    }
    out_ += ' ';
    append_number(out_, value);
    out_ += '\n';
}

void Exposition::sample_raw(std::string_view name, std::string_view rendered_labels,
                            std::string_view extra_label, std::string_view extra_value,
                            double value) {
    out_ += name;
    out_ += '{';
    out_ += rendered_labels;
    if (!extra_label.empty()) {
        if (!rendered_labels.empty()) out_ += ',';
        out_ += extra_label;
        out_ += "=\"";
        append_label_value(out_, extra_value);
        out_ += '"';
    }
    out_ += "} ";
    append_number(out_, value);
    out_ += '\n';
}

void Registry::add_collector(Collector collector) {
    std::lock_guard lock(mutex_);
    collectors_.push_back(std::move(collector));
}

std::string Registry::render() const {
    std::string out;
    Exposition exposition(out);
    std::lock_guard lock(mutex_);
    for (const auto& collector : collectors_) collector(exposition);
    return out;
}

// Per-route counters: one atomic per status code (100-599) and a latency histogram.
struct RequestMetrics::RouteSlot {
    std::string name;
    std::array<std::atomic<std::uint64_t>, 500> by_status{};
    std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_micros{0};
};

RequestMetrics::RequestMetrics(const http::Router& router, Registry& registry,
                               const http::ServerStats& stats)
    : stats_(stats) {
    for (const auto& route : router.routes()) {
        routes_.push_back(route.get());
        slots_.push_back(std::make_unique<RouteSlot>());
        slots_.back()->name = route->name;
    }
    slots_.push_back(std::make_unique<RouteSlot>());
    slots_.back()->name = "none";
    registry.add_collector([this](Exposition& out) { collect(out); });
}

RequestMetrics::~RequestMetrics() = default;

RequestMetrics::RouteSlot& RequestMetrics::slot_for(const http::Route* route) {
    // Routes are few; a linear scan over pointers is cheaper than hashing.
    for (size_t i = 0; i < routes_.size(); ++i)
        if (routes_[i] == route) return *slots_[i];
    return *slots_.back();
}

void RequestMetrics::after(http::Request& request, http::Response& response) {
    RouteSlot& slot = slot_for(request.route);
    int status = response.status;
    if (status >= 100 && status < 600)
        slot.by_status[size_t(status - 100)].fetch_add(1, std::memory_order_relaxed);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - request.started)
                      .count();
    double seconds = double(micros) / 1e6;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) {
            slot.buckets[i].fetch_add(1, std::memory_order_relaxed);
            break;
        }
    }
    slot.count.fetch_add(1, std::memory_order_relaxed);
    slot.sum_micros.fetch_add(std::uint64_t(micros), std::memory_order_relaxed);
}

void RequestMetrics::collect(Exposition& out) const {
    out.family("famigo_http_requests_total", "counter",
               "HTTP requests answered, by route and status.");
    for (const auto& slot : slots_) {
        for (size_t i = 0; i < slot->by_status.size(); ++i) {
            auto n = slot->by_status[i].load(std::memory_order_relaxed);
            if (n == 0) continue;
            auto status = std::to_string(i + 100);
            out.sample("famigo_http_requests_total", {{"route", slot->name}, {"status", status}},
                       double(n));
        }
    }
    out.family("famigo_http_request_duration_seconds", "histogram",
               "Time from a complete request head to the response being ready, by route.");
    for (const auto& slot : slots_) {
        std::uint64_t count = slot->count.load(std::memory_order_relaxed);
        if (count == 0) continue;
        std::string labels = "route=\"";
        Exposition::append_label_value(labels, slot->name);
        labels += '"';
        std::uint64_t cumulative = 0;
        for (size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += slot->buckets[i].load(std::memory_order_relaxed);
            std::string le;
            Exposition::append_number(le, kBuckets[i]);
            out.sample_raw("famigo_http_request_duration_seconds_bucket", labels, "le", le,
                           double(cumulative));
        }
        out.sample_raw("famigo_http_request_duration_seconds_bucket", labels, "le", "+Inf",
                       double(count));
        out.sample_raw("famigo_http_request_duration_seconds_sum", labels, "", "",
                       double(slot->sum_micros.load(std::memory_order_relaxed)) / 1e6);
        out.sample_raw("famigo_http_request_duration_seconds_count", labels, "", "", double(count));
    }
    out.family("famigo_http_requests_in_flight", "gauge", "Requests being handled or written.");
    out.sample("famigo_http_requests_in_flight", {}, double(stats_.in_flight.load()));
    out.family("famigo_http_connections_open", "gauge", "Open client connections.");
    out.sample("famigo_http_connections_open", {}, double(stats_.open_connections.load()));
    out.family("famigo_http_response_bytes_total", "counter",
               "Bytes of responses sent, heads included.");
    out.sample("famigo_http_response_bytes_total", {}, double(stats_.bytes_out.load()));
    out.family("famigo_http_shed_total", "counter",
               "Requests and connections refused with 503 because of overload.");
    out.sample("famigo_http_shed_total", {}, double(stats_.shed.load()));
}

void add_process_collector(Registry& registry) {
    static const double start_time = double(std::chrono::duration_cast<std::chrono::seconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count());
    registry.add_collector([](Exposition& out) {
        long page = sysconf(_SC_PAGESIZE);
        long ticks = sysconf(_SC_CLK_TCK);
        std::ifstream statm("/proc/self/statm");
        unsigned long long pages_total = 0, pages_resident = 0;
        statm >> pages_total >> pages_resident;
        std::ifstream stat("/proc/self/stat");
        std::string stat_line;
        std::getline(stat, stat_line);
        double cpu = 0;
        // Fields 14 and 15 (utime, stime) come after the parenthesised command name.
        if (auto close = stat_line.rfind(')'); close != std::string::npos) {
            std::vector<std::string> fields;
            std::string field;
            for (char c : stat_line.substr(close + 2)) {
                if (c == ' ') {
                    fields.push_back(field);
                    field.clear();
                } else
                    field += c;
            }
            if (fields.size() > 12)
                cpu = (std::stod(fields[11]) + std::stod(fields[12])) / double(ticks);
        }
        int fds = 0;
        if (DIR* dir = opendir("/proc/self/fd")) {
            while (readdir(dir)) ++fds;
            closedir(dir);
            fds -= 3;  // ".", ".." and the directory's own descriptor
        }
        out.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
        out.sample("process_resident_memory_bytes", {}, double(pages_resident) * double(page));
        out.family("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
        out.sample("process_virtual_memory_bytes", {}, double(pages_total) * double(page));
        out.family("process_cpu_seconds_total", "counter", "User and system CPU time in seconds.");
        out.sample("process_cpu_seconds_total", {}, cpu);
        out.family("process_open_fds", "gauge", "Open file descriptors.");
        out.sample("process_open_fds", {}, double(fds));
        out.family("process_start_time_seconds", "gauge", "Start time since the Unix epoch.");
        out.sample("process_start_time_seconds", {}, start_time);
    });
}

}  // namespace famigo::ops
