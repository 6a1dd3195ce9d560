#include "cache/page/conditional_get.hpp"

#include <string>

#include "cache/hash.hpp"
#include "http/conditional.hpp"
#include "http/router.hpp"

namespace famigo::cache {

void ConditionalGet::after(http::Request& request, http::Response& response) {
    // Only views (Pool routes): inline routes (static files, health, metrics)
    // make their own validators or want none, and pay nothing here.
    if (!request.route || request.route->execution != http::Execution::Pool) return;
    if (response.status != 200) return;
    if (request.method != http::Method::Get && request.method != http::Method::Head) return;
    if (response.file_body) return;  // static files make their own validators
    std::string etag;
    if (auto existing = response.header("ETag")) {
        etag = *existing;
    } else {
        const std::string& body = response.shared_body ? *response.shared_body : response.body;
        etag = "\"";
        append_hex64(etag, hash64(body));
        etag += '"';
        response.add_header("ETag", etag);
    }
    auto if_none_match = request.header("If-None-Match");
    if (!if_none_match || !http::etag_matches_weak(*if_none_match, etag)) return;
    // 304 without the body and the headers that describe it; the validators,
    // Cache-Control and Vary stay so a cache can refresh its copy.
    response.status = 304;
    response.body.clear();
    response.shared_body.reset();
    response.remove_header("Content-Type");
    response.remove_header("Content-Language");
}

}  // namespace famigo::cache
