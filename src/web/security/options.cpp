#include "web/security/options.hpp"

#include <sodium.h>

#include "core/error.hpp"
#include "web/security/signing.hpp"

namespace famigo::web::security {
namespace {

using config::Kind;

std::optional<std::string> same_site(const config::Value& value) {
    if (!parse_same_site(std::get<std::string>(value))) return "must be Lax, Strict or None";
    return std::nullopt;
}

// Header values come from config verbatim: a line break would split the response.
std::optional<std::string> header_text(const config::Value& value) {
    for (unsigned char c : std::get<std::string>(value))
        if (c < 0x20 || c == 0x7F) return "must be printable text on one line";
    return std::nullopt;
}

std::optional<std::string> origins(const config::Value& value) {
    for (const auto& origin : std::get<std::vector<std::string>>(value))
        if (!origin.starts_with("https://") && !origin.starts_with("http://"))
            return "'" + origin + "' must start with https:// (or http://)";
    return std::nullopt;
}

std::optional<std::string> ops_limit(const config::Value& value) {
    auto n = std::get<std::int64_t>(value);
    if (n < std::int64_t(crypto_pwhash_OPSLIMIT_MIN) || n > 64)
        return "must be between " + std::to_string(crypto_pwhash_OPSLIMIT_MIN) + " and 64";
    return std::nullopt;
}

std::optional<std::string> mem_limit(const config::Value& value) {
    auto n = std::get<std::int64_t>(value);
    if (n < std::int64_t(crypto_pwhash_MEMLIMIT_MIN) || n > (std::int64_t(4) << 30))
        return "must be between 8KiB and 4GiB";
    return std::nullopt;
}

}  // namespace

void define_config(config::Schema& schema) {
    schema
        .add({"security.secret_key",
              Kind::String,
              "",
              "key that signs cookies and tokens (50+ random characters, the same on every host); "
              "empty makes a random one per process, with a warning",
              {},
              /*secret=*/true})
        .add({"security.hsts_seconds", Kind::Integer, "0",
              "Strict-Transport-Security max-age sent over https; 0 sends none",
              config::not_negative})
        .add({"security.hsts_include_subdomains",
              Kind::Boolean,
              "false",
              "add includeSubDomains to Strict-Transport-Security",
              {}})
        .add({"security.hsts_preload",
              Kind::Boolean,
              "false",
              "add preload to Strict-Transport-Security",
              {}})
        .add({"security.ssl_redirect",
              Kind::Boolean,
              "false",
              "301 every plain-http request to https (request.secure comes from a trusted proxy)",
              {}})
        .add({"security.ssl_redirect_exempt",
              Kind::StringList,
              "/healthz,/readyz,/metrics",
              "path prefixes never redirected to https (load balancer and monitoring probes)",
              {}})
        .add({"security.referrer_policy", Kind::String, "same-origin",
              "Referrer-Policy header value; empty sends none", header_text})
        .add({"security.x_frame_options", Kind::String, "DENY",
              "X-Frame-Options header value (DENY or SAMEORIGIN); empty sends none", header_text})
        .add({"security.cross_origin_opener_policy", Kind::String, "same-origin",
              "Cross-Origin-Opener-Policy header value; empty sends none", header_text})
        .add({"security.content_security_policy", Kind::String, std::string(kStrictCsp),
              "Content-Security-Policy header value; the default allows only this site's own "
              "scripts, styles, images and fonts, no inline script or style, no framing; empty "
              "sends none",
              header_text})
        .add({"security.csrf_trusted_origins", Kind::StringList, "",
              "origins allowed to POST besides the request's own host, e.g. "
              "https://m.example.com or https://*.example.com",
              origins})
        .add({"security.csrf_exempt_routes",
              Kind::StringList,
              "",
              "route names that skip the CSRF check (APIs authenticated otherwise); 'api-*' "
              "matches a prefix",
              {}})
        .add({"security.csrf_cookie_secure",
              Kind::Boolean,
              "false",
              "mark the csrftoken cookie Secure (sent over https only)",
              {}})
        .add({"security.session_cookie_secure",
              Kind::Boolean,
              "false",
              "mark session and message cookies Secure (sent over https only)",
              {}})
        .add({"security.cookie_samesite", Kind::String, "Lax",
              "SameSite attribute of the cookies we set: Lax, Strict or None", same_site})
        .add({"security.max_form_fields", Kind::Integer, "1000",
              "most fields (and files) in one form body; more gets 400", config::positive})
        .add({"security.max_form_memory", Kind::Size, "2560KiB",
              "most bytes of all non-file form values together; more gets 413", config::positive})
        .add({"security.max_upload_bytes", Kind::Size, "10MiB",
              "most bytes of all files in one multipart body; more gets 413", config::positive})
        .add({"security.password_ops_limit", Kind::Integer, "3",
              "Argon2id passes for new password hashes (older hashes are upgraded at login)",
              ops_limit})
        .add({"security.password_mem_limit", Kind::Size, "64MiB",
              "Argon2id memory for new password hashes; each login uses this much for a moment",
              mem_limit});
}

SecurityOptions security_options(const config::Config& config) {
    SecurityOptions o;
    o.secret_key = config.str("security.secret_key");
    if (o.secret_key.empty()) {
        o.secret_key = generate_secret_key();
        o.secret_key_generated = true;
    }
    o.hsts_seconds = config.integer("security.hsts_seconds");
    o.hsts_include_subdomains = config.boolean("security.hsts_include_subdomains");
    o.hsts_preload = config.boolean("security.hsts_preload");
    o.ssl_redirect = config.boolean("security.ssl_redirect");
    o.ssl_redirect_exempt = config.list("security.ssl_redirect_exempt");
    o.referrer_policy = config.str("security.referrer_policy");
    o.x_frame_options = config.str("security.x_frame_options");
    o.cross_origin_opener_policy = config.str("security.cross_origin_opener_policy");
    o.content_security_policy = config.str("security.content_security_policy");
    o.csrf_trusted_origins = config.list("security.csrf_trusted_origins");
    o.csrf_exempt_routes = config.list("security.csrf_exempt_routes");
    o.csrf_cookie_secure = config.boolean("security.csrf_cookie_secure");
    o.session_cookie_secure = config.boolean("security.session_cookie_secure");
    o.cookie_samesite = *parse_same_site(config.str("security.cookie_samesite"));
    o.form_limits.max_fields = std::size_t(config.integer("security.max_form_fields"));
    o.form_limits.max_memory = std::size_t(config.integer("security.max_form_memory"));
    o.form_limits.max_upload_bytes = std::size_t(config.integer("security.max_upload_bytes"));
    o.password_ops_limit = std::uint64_t(config.integer("security.password_ops_limit"));
    o.password_mem_limit = std::uint64_t(config.integer("security.password_mem_limit"));
    return o;
}

}  // namespace famigo::web::security
