// Who is calling the Sandbox API, and whether they may now: every request
// names its client app by `X-Api-Key` (a key made by `famigo apikey create`),
// and every request about a family's data also carries the device's token
// (`Authorization: Bearer ...`, issued by POST /api/v1/devices). Each key and
// each device has a request budget per minute in the cache (a fixed window,
// counted with add + incr, so it holds across processes sharing memcached);
// past it the answer is 429 with Retry-After.
//
// Failures are http::HttpErrors, so the Site answers them in the API's one
// error shape: 401 (no, unknown or revoked key or token) and 429.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "apps/families/families.hpp"
#include "http/request.hpp"

namespace famigo::cache {
class Cache;
}

namespace famigo::apps::families {

struct ApiLimits {
    std::int64_t per_key = 12000;   // requests a minute per client app key
    std::int64_t per_device = 600;  // requests a minute per device token
};

struct ApiClient {
    ApiKey key;
    std::optional<Device> device;  // set by device()
};

class ApiGate {
  public:
    ApiGate(const Families& families, cache::Cache& cache, ApiLimits limits);

    // The client app; 401 without a valid key, 429 past its budget.
    ApiClient client(const http::Request& request) const;
    // The client app and its device; 401 without a valid token, 429 past
    // either budget.
    ApiClient device(const http::Request& request) const;

  private:
    void spend(const std::string& who, std::int64_t limit) const;

    const Families& families_;
    cache::Cache& cache_;
    ApiLimits limits_;
};

}  // namespace famigo::apps::families
