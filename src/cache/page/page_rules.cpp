#include "cache/page/page_rules.hpp"

#include "cache/hash.hpp"
#include "core/strings.hpp"

namespace famigo::cache {

void page_identity(const http::Request& request, std::string_view query, std::string& out) {
    out.assign(request.host());
    out += ' ';
    out.append(request.path);
    if (!query.empty()) {
        out += '?';
        out.append(query);
    }
}

void variant_identity(const http::Request& request, std::string_view base_identity,
                      const std::vector<std::string>& vary, std::string& out) {
    out.assign(base_identity);
    for (const auto& name : vary) {
        out += '\n';
        out += name;
        // An absent header and an empty one are different variants.
        if (auto value = request.header(name)) {
            out += ':';
            out.append(*value);
        } else {
            out += '!';
        }
    }
}

void page_key(std::string_view space, std::string_view identity, std::string& out) {
    out.assign("pc:");
    out.append(space);
    out += ':';
    append_hex64(out, hash64(identity));
}

void variant_key(std::string_view base_key, std::string_view variant, std::string& out) {
    out.assign(base_key);
    out += ':';
    append_hex64(out, hash64(variant, 1));
}

StoreDecision store_decision(const http::Response& response, std::chrono::milliseconds route_ttl,
                             std::size_t max_body) {
    StoreDecision no;
    if (response.status != 200 || response.file_body) return no;
    if (response.body_size() > max_body) return no;
    StoreDecision yes{true, route_ttl, {}};
    for (std::size_t i = 0; i < response.header_count(); ++i) {
        const auto& [name, value] = response.header_at(i);
        if (strings::iequals(name, "Set-Cookie")) return no;
        if (strings::iequals(name, "Cache-Control")) {
            for (auto part : strings::split(value, ',')) {
                auto token = strings::trim(part);
                if (strings::iequals(token, "private") || strings::iequals(token, "no-store") ||
                    strings::iequals(token, "no-cache"))
                    return no;
                if (strings::istarts_with(token, "max-age=")) {
                    auto seconds = strings::parse_u64(token.substr(8));
                    if (!seconds || *seconds == 0) return no;
                    yes.ttl = std::chrono::seconds(*seconds);
                }
            }
        } else if (strings::iequals(name, "Vary")) {
            for (auto part : strings::split(value, ',')) {
                auto token = strings::trim(part);
                if (token == "*") return no;
                if (!token.empty()) yes.vary.push_back(strings::to_lower(token));
            }
        }
    }
    return yes;
}

bool keep_header(std::string_view name) {
    for (std::string_view drop : {"Set-Cookie", "Date", "Server", "Content-Length", "Connection",
                                  "Keep-Alive", "Transfer-Encoding", "X-Request-Id", "Age"})
        if (strings::iequals(name, drop)) return false;
    return true;
}

bool header_for_not_modified(std::string_view name) {
    for (std::string_view keep :
         {"ETag", "Cache-Control", "Vary", "Expires", "Content-Location", "Last-Modified"})
        if (strings::iequals(name, keep)) return true;
    return false;
}

}  // namespace famigo::cache
