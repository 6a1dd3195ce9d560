#include "web/security/cookies.hpp"

#include <ctime>

#include "core/error.hpp"
#include "core/strings.hpp"

namespace famigo::web::security {
namespace {

bool is_token_char(unsigned char c) {
    if (c <= 0x20 || c >= 0x7F) return false;
    switch (c) {
        case '(':
        case ')':
        case '<':
        case '>':
        case '@':
        case ',':
        case ';':
        case ':':
        case '\\':
        case '"':
        case '/':
        case '[':
        case ']':
        case '?':
        case '=':
        case '{':
        case '}':
            return false;
        default:
            return true;
    }
}

bool is_cookie_octet(unsigned char c) {
    return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
           (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

// The name of the cookie a Set-Cookie value sets: up to the first '='.
std::string_view set_cookie_name(std::string_view header_value) {
    return strings::trim(header_value.substr(0, header_value.find('=')));
}

std::string http_date(std::int64_t unix_seconds) {
    std::time_t t = std::time_t(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[64];
    size_t n = std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return std::string(buffer, n);
}

// One "name=value" piece of a Cookie header; nullopt for junk.
std::optional<CookiePair> parse_piece(std::string_view piece) {
    size_t eq = piece.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view name = strings::trim(piece.substr(0, eq));
    std::string_view value = strings::trim(piece.substr(eq + 1));
    if (name.empty()) return std::nullopt;
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
    return CookiePair{name, value};
}

// Calls visit(pair) for each piece until it returns true. Walks by hand rather
// than with strings::split: this runs on every request and must not allocate.
template <typename Visit>
void for_each_cookie(std::string_view header, Visit&& visit) {
    while (!header.empty()) {
        size_t semi = header.find(';');
        std::string_view piece = header.substr(0, semi);
        header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
        if (auto pair = parse_piece(piece); pair && visit(*pair)) return;
    }
}

}  // namespace

std::vector<CookiePair> parse_cookie_header(std::string_view header) {
    std::vector<CookiePair> out;
    for_each_cookie(header, [&out](const CookiePair& pair) {
        out.push_back(pair);
        return false;
    });
    return out;
}

std::optional<std::string_view> find_cookie(const http::Request& request, std::string_view name) {
    std::optional<std::string_view> found;
    for (const auto* field = request.headers_begin(); field != request.headers_end(); ++field) {
        if (!strings::iequals(field->name, "cookie")) continue;
        for_each_cookie(field->value, [&](const CookiePair& pair) {
            if (pair.first == name) found = pair.second;
            return found.has_value();
        });
        if (found) break;
    }
    return found;
}

std::optional<SameSite> parse_same_site(std::string_view text) {
    if (strings::iequals(text, "lax")) return SameSite::Lax;
    if (strings::iequals(text, "strict")) return SameSite::Strict;
    if (strings::iequals(text, "none")) return SameSite::None;
    return std::nullopt;
}

bool is_cookie_name(std::string_view name) {
    if (name.empty()) return false;
    for (unsigned char c : name)
        if (!is_token_char(c)) return false;
    return true;
}

bool is_cookie_value(std::string_view value) {
    for (unsigned char c : value)
        if (!is_cookie_octet(c)) return false;
    return true;
}

std::string set_cookie_value(std::string_view name, std::string_view value,
                             const CookieOptions& options) {
    if (!is_cookie_name(name))
        throw Error("cookie name '" + std::string(name) + "' is not a token");
    if (!is_cookie_value(value))
        throw Error("cookie '" + std::string(name) + "' has a value with characters not allowed");
    auto attribute_ok = [](std::string_view s) {
        return s.find_first_of(";\r\n") == std::string_view::npos;
    };
    if (!attribute_ok(options.path) || !attribute_ok(options.domain))
        throw Error("cookie path or domain contains ';' or a line break");
    std::string out;
    out.reserve(name.size() + value.size() + 96);
    out.append(name).append("=").append(value);
    if (!options.path.empty()) out.append("; Path=").append(options.path);
    if (!options.domain.empty()) out.append("; Domain=").append(options.domain);
    if (options.max_age) {
        std::int64_t age = *options.max_age < 0 ? 0 : *options.max_age;
        std::int64_t expires = age == 0 ? 0 : std::int64_t(std::time(nullptr)) + age;
        out.append("; Max-Age=").append(std::to_string(age));
        out.append("; Expires=").append(http_date(expires));
    }
    if (options.secure) out.append("; Secure");
    if (options.http_only) out.append("; HttpOnly");
    switch (options.same_site) {
        case SameSite::Lax:
            out.append("; SameSite=Lax");
            break;
        case SameSite::Strict:
            out.append("; SameSite=Strict");
            break;
        case SameSite::None:
            out.append("; SameSite=None");
            break;
        case SameSite::Unset:
            break;
    }
    return out;
}

std::string delete_cookie_value(std::string_view name, const CookieOptions& options) {
    CookieOptions gone = options;
    gone.max_age = 0;
    return set_cookie_value(name, "", gone);
}

std::optional<std::string_view> find_set_cookie(const http::Response& response,
                                                std::string_view name) {
    for (size_t i = 0; i < response.header_count(); ++i) {
        const auto& [header, value] = response.header_at(i);
        if (!strings::iequals(header, "set-cookie") || set_cookie_name(value) != name) continue;
        std::string_view rest = std::string_view(value).substr(value.find('=') + 1);
        return strings::trim(rest.substr(0, rest.find(';')));
    }
    return std::nullopt;
}

void replace_set_cookie(http::Response& response, std::string_view name,
                        std::string_view header_value) {
    std::vector<std::string> others;
    bool had_any = false;
    for (size_t i = 0; i < response.header_count(); ++i) {
        const auto& [header, value] = response.header_at(i);
        if (!strings::iequals(header, "set-cookie")) continue;
        had_any = true;
        if (set_cookie_name(value) != name) others.push_back(value);
    }
    if (had_any) response.remove_header("Set-Cookie");
    for (const auto& value : others) response.add_header("Set-Cookie", value);
    response.add_header("Set-Cookie", header_value);
}

}  // namespace famigo::web::security
