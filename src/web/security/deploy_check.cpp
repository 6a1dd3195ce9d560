#include "web/security/deploy_check.hpp"

#include <algorithm>
#include <set>

#include "web/security/cookies.hpp"

namespace famigo::web::security {

std::vector<DeployWarning> deploy_check(const config::Config& config) {
    std::vector<DeployWarning> found;
    auto warn = [&found](std::string id, std::string message) {
        found.push_back({std::move(id), std::move(message)});
    };

    const std::string& secret = config.str("security.secret_key");
    std::set<char> distinct(secret.begin(), secret.end());
    if (secret.empty())
        warn("security.W009",
             "security.secret_key is empty: each process makes its own random key, so signed "
             "cookies (CSRF, messages, sessions) break on restart and across hosts; set 50+ "
             "random characters, the same on every host");
    else if (secret.size() < 50 || distinct.size() < 5)
        warn("security.W009",
             "security.secret_key has fewer than 50 characters or fewer than 5 distinct ones; "
             "use a long random key");

    const bool hsts = config.integer("security.hsts_seconds") > 0;
    if (!hsts)
        warn("security.W004",
             "security.hsts_seconds is 0: browsers may reach the site over plain http; if the "
             "whole site is https-only, set it (start small, e.g. 3600, then a year)");
    if (hsts && !config.boolean("security.hsts_include_subdomains"))
        warn("security.W005",
             "security.hsts_include_subdomains is off: subdomains are not covered by HSTS");
    if (hsts && !config.boolean("security.hsts_preload"))
        warn("security.W021",
             "security.hsts_preload is off: the site cannot join browsers' "
             "HSTS preload lists");
    if (!config.boolean("security.ssl_redirect"))
        warn("security.W008",
             "security.ssl_redirect is off: plain http requests are served instead of being "
             "redirected to https");
    if (!config.boolean("security.session_cookie_secure"))
        warn("security.W012",
             "security.session_cookie_secure is off: session and message cookies are sent over "
             "plain http too, where they can be sniffed");
    if (!config.boolean("security.csrf_cookie_secure"))
        warn("security.W016",
             "security.csrf_cookie_secure is off: the csrftoken cookie is sent "
             "over plain http too");
    if (config.str("security.x_frame_options") != "DENY")
        warn("security.W019",
             "security.x_frame_options is not DENY: other sites may frame these pages "
             "(clickjacking) unless that is intended");
    if (config.str("security.referrer_policy").empty())
        warn("security.W022",
             "security.referrer_policy is empty: full URLs leak to other sites "
             "in the Referer header");
    auto same_site = parse_same_site(config.str("security.cookie_samesite"));
    if (same_site == SameSite::None)
        warn("famigo.W001",
             "security.cookie_samesite is None: cookies go with cross-site "
             "requests; use Lax unless cross-site embedding needs them");
    for (const auto& origin : config.list("security.csrf_trusted_origins"))
        if (origin.starts_with("http://"))
            warn("famigo.W002",
                 "security.csrf_trusted_origins trusts " + origin + " over plain http");

    const auto& hosts = config.list("http.allowed_hosts");
    if (std::find(hosts.begin(), hosts.end(), "*") != hosts.end())
        warn("famigo.W003",
             "http.allowed_hosts contains '*': any Host header is accepted, which enables host "
             "header poisoning of absolute URLs; list the site's names");
    if (config.boolean("debug.test_routes"))
        warn("security.W018",
             "debug.test_routes is on: /_debug/ routes (error, sleep, echo, form) are served; "
             "turn it off in production");
    if (config.boolean("templates.debug"))
        warn("famigo.W004",
             "templates.debug is on: templates are re-read from disk when they "
             "change; turn it off in production");
    if (config.str("http.access_log").empty())
        warn("famigo.W005",
             "http.access_log is empty: no record of requests is kept for "
             "incident review");
    return found;
}

size_t print_deploy_check(const config::Config& config, std::ostream& out) {
    auto warnings = deploy_check(config);
    if (!warnings.empty()) out << "WARNINGS:\n";
    for (const auto& w : warnings) out << "(" << w.id << ") " << w.message << "\n";
    out << "deploy check identified " << warnings.size()
        << (warnings.size() == 1 ? " issue" : " issues") << "\n";
    return warnings.size();
}

}  // namespace famigo::web::security
