#include "apps/families/api_gate.hpp"

#include <chrono>

#include "cache/cache.hpp"
#include "http/errors.hpp"

namespace famigo::apps::families {

namespace {

http::HttpError families_unauthorized(const std::string& code, const std::string& message,
                                      const std::string& field) {
    return http::HttpError(401, code, message, field);
}

}  // namespace

ApiGate::ApiGate(const Families& families, cache::Cache& cache, ApiLimits limits)
    : families_(families), cache_(cache), limits_(limits) {}

void ApiGate::spend(const std::string& who, std::int64_t limit) const {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const auto window = now / 60;
    const std::string key = "families:rate:" + who + ":" + std::to_string(window);
    cache_.add(key, "0", std::chrono::seconds(120));
    auto used = cache_.incr(key);
    // A cache that cannot count (memcached down) lets requests through:
    // the limits protect the service, they are not an authorisation.
    if (!used || static_cast<std::int64_t>(*used) <= limit) return;
    http::HttpError error(429, "rate_limited", "too many requests; try again in a minute or less");
    error.retry_after = static_cast<int>(60 - now % 60);
    throw error;
}

ApiClient ApiGate::client(const http::Request& request) const {
    auto header = request.header("X-Api-Key");
    if (!header || header->empty())
        throw families_unauthorized("api_key_required", "the X-Api-Key header is required",
                                    "X-Api-Key");
    auto key = families_.api_key_for(*header);
    if (!key)
        throw families_unauthorized("bad_api_key", "the API key is unknown or revoked",
                                    "X-Api-Key");
    spend("k:" + key->id, limits_.per_key);
    return {std::move(*key), std::nullopt};
}

ApiClient ApiGate::device(const http::Request& request) const {
    ApiClient out = client(request);
    auto header = request.header("Authorization");
    constexpr std::string_view scheme = "Bearer ";
    if (!header || header->size() <= scheme.size() || header->substr(0, scheme.size()) != scheme)
        throw families_unauthorized("device_token_required",
                                    "an Authorization: Bearer device token is required",
                                    "Authorization");
    out.device = families_.device_for_token(header->substr(scheme.size()));
    if (!out.device)
        throw families_unauthorized("bad_device_token", "the device token is unknown or revoked",
                                    "Authorization");
    spend("d:" + out.device->id, limits_.per_device);
    return out;
}

}  // namespace famigo::apps::families
