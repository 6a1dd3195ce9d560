#include "web/security/deploy_check.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "http/server_config.hpp"
#include "web/security/options.hpp"
#include "web/template/config.hpp"

using namespace famigo;
using namespace famigo::web::security;

namespace {

config::Config load(std::vector<config::Override> overrides) {
    static const config::Schema schema = [] {
        config::Schema s;
        http::define_config(s);
        web::tmpl::define_config(s);
        define_config(s);
        s.add({"debug.test_routes", config::Kind::Boolean, "false", "", {}});
        return s;
    }();
    for (auto& o : overrides) o.origin = "test";
    return config::Config::load(schema, {std::nullopt, std::move(overrides)});
}

std::vector<std::string> ids(const config::Config& config) {
    std::vector<std::string> out;
    for (const auto& w : deploy_check(config)) out.push_back(w.id);
    return out;
}

}  // namespace

TEST(DeployCheck, DefaultsAreFlagged) {
    auto found = ids(load({}));
    for (const char* id :
         {"security.W009", "security.W004", "security.W008", "security.W012", "security.W016"})
        EXPECT_NE(std::find(found.begin(), found.end(), id), found.end()) << id;
}

TEST(DeployCheck, AHardenedConfigIsClean) {
    auto config = load({{"security.secret_key", std::string(60, 'k') + "abcdefgh", ""},
                        {"security.hsts_seconds", "31536000", ""},
                        {"security.hsts_include_subdomains", "true", ""},
                        {"security.hsts_preload", "true", ""},
                        {"security.ssl_redirect", "true", ""},
                        {"security.session_cookie_secure", "true", ""},
                        {"security.csrf_cookie_secure", "true", ""},
                        {"http.allowed_hosts", "www.famigo.com", ""}});
    EXPECT_EQ(ids(config), std::vector<std::string>{});
    std::ostringstream out;
    EXPECT_EQ(print_deploy_check(config, out), 0u);
    EXPECT_EQ(out.str(), "deploy check identified 0 issues\n");
}

TEST(DeployCheck, EachRiskHasItsLine) {
    auto config = load({{"security.secret_key", "short", ""},
                        {"http.allowed_hosts", "*", ""},
                        {"debug.test_routes", "true", ""},
                        {"templates.debug", "true", ""},
                        {"http.access_log", "", ""},
                        {"security.cookie_samesite", "None", ""},
                        {"security.hsts_seconds", "60", ""}});
    auto found = ids(config);
    for (const char* id : {"security.W009", "famigo.W003", "security.W018", "famigo.W004",
                           "famigo.W005", "famigo.W001", "security.W005", "security.W021"})
        EXPECT_NE(std::find(found.begin(), found.end(), id), found.end()) << id;
    EXPECT_EQ(std::find(found.begin(), found.end(), "security.W004"), found.end());
    std::ostringstream out;
    size_t n = print_deploy_check(config, out);
    EXPECT_NE(out.str().find("(security.W018) debug.test_routes is on"), std::string::npos);
    EXPECT_NE(out.str().find("deploy check identified " + std::to_string(n) + " issues"),
              std::string::npos);
}

TEST(DeployCheck, SecretKeyIsHiddenByDescribe) {
    auto config = load({{"security.secret_key", "s3cr3t-value-that-must-not-leak", ""}});
    std::string text = config.describe();
    EXPECT_EQ(text.find("s3cr3t"), std::string::npos);
    EXPECT_NE(text.find("security.secret_key = (hidden, 31 characters)    # test"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("security.hsts_seconds = 0"), std::string::npos);
    std::string empty = load({}).describe();
    EXPECT_NE(empty.find("security.secret_key =     # default"), std::string::npos) << empty;
}
