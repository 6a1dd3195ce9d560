// Prometheus metrics in the text exposition format (version 0.0.4). Components
// register collectors that append their families at scrape time; the request
// metrics middleware counts every answer by route and status and times it, with
// lock-free counters so the request path pays a few atomic adds.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/middleware.hpp"

namespace famigo::http {
class Router;
struct ServerStats;
}  // namespace famigo::http

namespace famigo::ops {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// Writes metric families; escapes label values and formats numbers as Prometheus expects.
class Exposition {
  public:
    explicit Exposition(std::string& out) : out_(out) {}
    // Starts a family: "# HELP" and "# TYPE" lines. type: counter, gauge, histogram.
    void family(std::string_view name, std::string_view type, std::string_view help);
    void sample(std::string_view name, Labels labels, double value);
    // A sample with the labels already rendered as `k="v",...` (may be empty) plus one more.
    void sample_raw(std::string_view name, std::string_view rendered_labels,
                    std::string_view extra_label, std::string_view extra_value, double value);

    static void append_label_value(std::string& out, std::string_view value);
    static void append_number(std::string& out, double value);

  private:
    std::string& out_;
};

class Registry {
  public:
    using Collector = std::function<void(Exposition&)>;
    void add_collector(Collector collector);
    std::string render() const;

  private:
    mutable std::mutex mutex_;
    std::vector<Collector> collectors_;
};

// Counts requests by route and status and records their latency by route.
// Routes are known at start-up (the router is complete before serving).
class RequestMetrics : public http::Middleware {
  public:
    RequestMetrics(const http::Router& router, Registry& registry, const http::ServerStats& stats);
    ~RequestMetrics() override;
    bool runs_inline(const http::Request&) const override { return true; }  // no before()
    void after(http::Request& request, http::Response& response) override;

    static constexpr std::array<double, 14> kBuckets = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private:
    struct RouteSlot;
    void collect(Exposition& out) const;
    RouteSlot& slot_for(const http::Route* route);

    std::vector<std::unique_ptr<RouteSlot>> slots_;  // one per route, then one for "none"
    std::vector<const http::Route*> routes_;
    const http::ServerStats& stats_;
};

// Process metrics: resident memory, CPU seconds, open descriptors, start time.
void add_process_collector(Registry& registry);

}  // namespace famigo::ops
