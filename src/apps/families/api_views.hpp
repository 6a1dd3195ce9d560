// The Sandbox API v1's handlers (docs/families.md, the OpenAPI document):
//   POST   /api/v1/families                   create_family (key; Idempotency-Key)
//   POST   /api/v1/devices                    register_device (key)
//   GET    /api/v1/families/<id>/kids         kids (key + device token), POST adds one
//   PATCH  /api/v1/kids/<id>                  kid; DELETE too
//   GET    /api/v1/kids/<id>/sandbox          sandbox (ETag); PUT with If-Match
//   POST   /api/v1/launches                   launches
//   GET    /api/v1/kids/<id>/recommendations  recommendations
//   GET    /api/v1/families/<id>/export       export_family
// A device sees its own family only: any other family's id, kid or sandbox is
// a 404, the same answer as an id that does not exist. Handlers throw
// http::HttpError (and docstore::ValidationError, a 400 naming the field);
// the Site turns both into the API's one error shape.
#pragma once

#include <chrono>

#include "apps/families/api_gate.hpp"
#include "apps/families/families.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace famigo::apps::families {

class ApiViews {
  public:
    ApiViews(const Families& families, const ApiGate& gate, std::chrono::seconds idempotency_ttl)
        : families_(families), gate_(gate), idempotency_ttl_(idempotency_ttl) {}

    void create_family(const http::Request& request, http::Response& response) const;
    void register_device(const http::Request& request, http::Response& response) const;
    void kids(const http::Request& request, http::Response& response) const;
    void kid(const http::Request& request, http::Response& response) const;
    void sandbox(const http::Request& request, http::Response& response) const;
    void launches(const http::Request& request, http::Response& response) const;
    void recommendations(const http::Request& request, http::Response& response) const;
    void export_family(const http::Request& request, http::Response& response) const;

  private:
    // The device's family when it is the one the URL names; 404 otherwise.
    std::string own_family(const ApiClient& client, const http::Request& request) const;
    Kid own_kid(const ApiClient& client, const http::Request& request) const;

    const Families& families_;
    const ApiGate& gate_;
    std::chrono::seconds idempotency_ttl_;
};

}  // namespace famigo::apps::families
