// Auth's per-request view: the user behind a session cookie (only on the pool,
// only with a cookie), login cycling the session id, a password change logging
// out other sessions, logout, the page cache's anonymous rule, the `user` context.
#include "web/auth/auth.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "cache/factory.hpp"
#include "docstore/model.hpp"
#include "docstore/store.hpp"
#include "http/router.hpp"
#include "test_support.hpp"

namespace famigo::web::auth {
namespace {

using testing::set_cookie_header;

security::SecurityOptions security_options() {
    security::SecurityOptions options;
    options.secret_key = std::string(testing::kSecret);
    options.password_ops_limit = 1;
    options.password_mem_limit = 64 * 1024;
    return options;
}

class AuthTest : public ::testing::Test {
  protected:
    AuthTest() {
        docstore::ModelRegistry models;
        models.add<User>();
        docstore::migrate(*store, models);
        pool_route.execution = http::Execution::Pool;
        inline_route.execution = http::Execution::Inline;
    }

    // A request on a pool route carrying `cookie`.
    http::Request& request(const std::string& cookie, const http::Route* route = nullptr) {
        set_cookie_header(req, cookie);
        req.route = route ? route : &pool_route;
        return req;
    }

    // Runs the middleware's after() and returns the session cookie pair it set.
    std::string finish(http::Response& response) {
        auth->middleware->after(req, response);
        auto value = security::find_set_cookie(response, "sessionid");
        return value ? "sessionid=" + std::string(*value) : "";
    }

    std::string log_in(const std::string& username, const std::string& cookie = "") {
        auto user = auth->users().authenticate(username, "pw-pw-pw");
        EXPECT_TRUE(user);
        auth->login(request(cookie), *user);
        http::Response response;
        return finish(response);
    }

    testing::TempDir dir;
    std::unique_ptr<docstore::Store> store = docstore::open_store({.url = dir.url("a.db")});
    std::unique_ptr<cache::Cache> cache = cache::make_cache("memory://", cache::CacheSettings{});
    security::WebSecurity security{security_options()};
    std::unique_ptr<Auth> auth = std::make_unique<Auth>(
        std::make_unique<CacheSessionStore>(*cache, std::chrono::seconds(3600)), SessionOptions{},
        ThrottleOptions{}, *cache, *store, security);
    http::Route pool_route, inline_route;
    http::Request req;
};

TEST_F(AuthTest, AnonymousRequestsGetNoSession) {
    EXPECT_FALSE(auth->user(request("csrftoken=abc")));
    http::Response response;
    EXPECT_EQ(finish(response), "");
    EXPECT_FALSE(response.header("Vary")) << "nothing was looked up";
}

TEST_F(AuthTest, LoginCyclesTheSessionAndUserFollows) {
    auth->users().create("ann", "", "pw-pw-pw", true);
    // A session planted before login (e.g. by an attacker): its id must not survive.
    auth->session(request("")).set("cart", 2);
    http::Response first;
    std::string planted = finish(first);
    ASSERT_FALSE(planted.empty());

    std::string cookie = log_in("ann", planted);
    ASSERT_FALSE(cookie.empty());
    EXPECT_NE(cookie, planted);
    EXPECT_FALSE(auth->user(request(planted))) << "the pre-login id is gone";

    auto user = auth->user(request(cookie));
    ASSERT_TRUE(user);
    EXPECT_EQ(user->username, "ann");
    EXPECT_TRUE(user->is_staff);
    EXPECT_EQ(auth->session(req).data()["cart"], 2) << "data moved to the new id";
    EXPECT_TRUE(auth->users().find_by_username("ann")->last_login);
    http::Response response;
    EXPECT_EQ(finish(response), "") << "an unmodified session is not rewritten";
    EXPECT_EQ(response.header("Vary"), "Cookie");
    EXPECT_EQ(response.header("Cache-Control"), "private");
}

TEST_F(AuthTest, NothingLoadsOnTheIoThread) {
    auth->users().create("ann", "", "pw-pw-pw");
    std::string cookie = log_in("ann");
    EXPECT_FALSE(auth->user(request(cookie, &inline_route)));
    set_cookie_header(req, cookie);
    req.route = nullptr;  // the 404 page
    EXPECT_FALSE(auth->user(req));
    EXPECT_TRUE(auth->user(request(cookie)));
}

TEST_F(AuthTest, PasswordChangeLogsOutOtherSessions) {
    auth->users().create("ann", "", "pw-pw-pw");
    std::string cookie = log_in("ann");
    ASSERT_TRUE(auth->user(request(cookie)));
    auth->users().set_password("ann", "new-password");
    EXPECT_FALSE(auth->user(request(cookie)));
    http::Response response;
    auth->middleware->after(req, response);
    auto line = testing::set_cookie_line(response, "sessionid");
    ASSERT_TRUE(line) << "the stale session is deleted";
    EXPECT_NE(line->find("Max-Age=0"), std::string::npos);
}

TEST_F(AuthTest, UserContextForTemplates) {
    auto anonymous = auth->user_context(request("csrftoken=abc"));
    EXPECT_EQ(anonymous["is_authenticated"], false);
    EXPECT_EQ(anonymous["username"], "");
    auth->users().create("ann", "", "pw-pw-pw", true);
    std::string cookie = log_in("ann");
    req.reset();
    auto ann = auth->user_context(request(cookie));
    EXPECT_EQ(ann["is_authenticated"], true);
    EXPECT_EQ(ann["username"], "ann");
    EXPECT_EQ(ann["is_staff"], true);
}

TEST_F(AuthTest, LogoutFlushes) {
    auth->users().create("ann", "", "pw-pw-pw");
    std::string cookie = log_in("ann");
    auth->logout(request(cookie));
    http::Response response;
    auth->middleware->after(req, response);
    EXPECT_FALSE(auth->user(request(cookie)));
}

TEST_F(AuthTest, PageCacheAnonymousRule) {
    auto anonymous = anonymous_rule(SessionOptions{});
    http::Request r;
    EXPECT_TRUE(anonymous(r));
    r.add_header("Cookie", "csrftoken=abc; theme=dark");
    EXPECT_TRUE(anonymous(r));
    r.reset();
    r.add_header("Cookie", "csrftoken=abc; sessionid=x");
    EXPECT_FALSE(anonymous(r));
    r.reset();
    r.add_header("Cookie", "messages=x");
    EXPECT_FALSE(anonymous(r));
    r.reset();
    r.add_header("Authorization", "Basic eDp5");
    EXPECT_FALSE(anonymous(r));
}

}  // namespace
}  // namespace famigo::web::auth
