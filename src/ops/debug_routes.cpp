#include "ops/debug_routes.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

#include "core/strings.hpp"

namespace famigo::ops {

void define_debug_config(config::Schema& schema) {
    schema.add({"debug.test_routes",
                config::Kind::Boolean,
                "false",
                "serve the /_debug/ routes the integration tests drive (sleep, error, echo, "
                "form, cache); for tests only, never in production",
                {}});
}

void install_debug_routes(http::Router& router) {
    router.add("debug-sleep", "/_debug/sleep",
               [](http::Request& request, http::Response& response) {
                   std::uint64_t ms = 100;
                   for (auto pair : strings::split(request.query, '&')) {
                       if (pair.starts_with("ms=")) {
                           auto n = strings::parse_u64(pair.substr(3));
                           if (!n || *n > 60000) {
                               response.text(400, "ms must be a whole number up to 60000\n");
                               return;
                           }
                           ms = *n;
                       }
                   }
                   std::this_thread::sleep_for(std::chrono::milliseconds(ms));
                   response.text(200, "slept " + std::to_string(ms) + " ms\n");
               });
    router.add("debug-error", "/_debug/error", [](http::Request&, http::Response&) -> void {
        throw std::runtime_error("deliberate failure with internal detail /etc/secret");
    });
    router.add(
        "debug-echo", "/_debug/echo",
        [](http::Request& request, http::Response& response) {
            response.text(200, request.body, "application/octet-stream");
        },
        http::Execution::Pool, http::kPost | http::kPut);
}

}  // namespace famigo::ops
