// The accounts app on a real Site (router, the repository's templates, a
// memory cache, a SQLite store): its routes, the login form, wrong and right
// passwords, logout, the `user` every page gets, safe `next`, and the users
// collection its models register.
#include "apps/accounts/views.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "apps/accounts/accounts.hpp"
#include "apps/accounts/links.hpp"
#include "apps/accounts/models.hpp"
#include "apps/accounts/urls.hpp"
#include "apps/site/site.hpp"
#include "assets/options.hpp"
#include "assets/static_files.hpp"
#include "cache/factory.hpp"
#include "cache/page/page_cache.hpp"
#include "docstore/errors.hpp"
#include "docstore/store.hpp"
#include "http/errors.hpp"
#include "http/router.hpp"
#include "mail/message.hpp"
#include "web/auth/auth.hpp"
#include "web/security/cookies.hpp"
#include "web/security/web_security.hpp"
#include "web/template/config.hpp"

namespace famigo::apps::accounts {
namespace {

namespace fs = std::filesystem;

web::security::SecurityOptions security_options() {
    web::security::SecurityOptions options;
    options.secret_key = "unit-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz";
    options.password_ops_limit = 1;
    options.password_mem_limit = 64 * 1024;
    return options;
}

config::Config site_config() {
    config::Schema schema;
    web::tmpl::define_config(schema);
    assets::define_config(schema);
    define_config(schema);
    config::Sources sources;
    sources.overrides = {
        {"templates.dirs", std::string(FAMIGO_SOURCE_DIR) + "/templates", "test"},
        {"static.source", std::string(FAMIGO_SOURCE_DIR) + "/static", "test"},
    };
    return config::Config::load(schema, sources);
}

class AccountsTest : public ::testing::Test {
  protected:
    AccountsTest() {
        // The other apps' pages base.html links to.
        for (const char* name : {"home", "browse", "search", "approved", "autocomplete",
                                 "best-free-games", "free-apps", "about-data"})
            router.add(name, std::string("/") + name + "/", [](http::Request&, http::Response&) {});
        register_models(models);
        docstore::migrate(*store, models);
        running = install(site);
    }
    ~AccountsTest() override {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }

    // Runs the named route's view as the server would (the session middleware
    // after it) and returns the answer; `cookie` and `body` as sent.
    http::Response call(http::Method method, const std::string& name, const std::string& cookie,
                        const std::string& body = "") {
        req.reset();
        req.method = method;
        path = router.reverse(name);
        req.path = path;
        req.route = router.find(name);
        if (!cookie.empty()) req.add_header("Cookie", cookie);
        if (!body.empty()) req.add_header("Content-Type", "application/x-www-form-urlencoded");
        req.set_host("famigo.test");
        req_body = body;
        req.body = req_body;
        http::Response response;
        req.route->handler(req, response);
        auth->middleware->after(req, response);
        return response;
    }

    static std::string cookie_pair(const http::Response& response, std::string_view name) {
        auto value = web::security::find_set_cookie(response, name);
        return value ? std::string(name) + "=" + std::string(*value) : "";
    }

    fs::path dir = [] {
        std::string tmpl = (fs::temp_directory_path() / "famigo-accounts-XXXXXX").string();
        return fs::path(mkdtemp(tmpl.data()));
    }();
    config::Config config = site_config();
    std::unique_ptr<docstore::Store> store =
        docstore::open_store({.url = "sqlite://" + (dir / "a.db").string()});
    docstore::ModelRegistry models;
    std::unique_ptr<cache::Cache> cache = cache::make_cache("memory://", cache::CacheSettings{});
    cache::PageCache page_cache{*cache, cache::PageCacheOptions{}};
    assets::StaticFiles static_files{assets::asset_options(config)};
    web::security::WebSecurity security{security_options()};
    http::Router router;
    std::unique_ptr<web::auth::Auth> auth = std::make_unique<web::auth::Auth>(
        std::make_unique<web::auth::CacheSessionStore>(*cache, std::chrono::seconds(3600)),
        web::auth::SessionOptions{}, web::auth::ThrottleOptions{}, *cache, *store, security);
    Site site{config,     *store,
              models,     *cache,
              page_cache, static_files,
              security,   *auth,
              router,     make_template_engine(config, router, static_files, *cache),
              {},         nullptr,
              {},         [this](const mail::Message& message) { sent.push_back(message); }};
    std::vector<mail::Message> sent;
    Running running;  // the app's views and state
    http::Request req;
    std::string path, req_body;
};

TEST_F(AccountsTest, RoutesKeepTheirNames) {
    EXPECT_EQ(router.reverse("login"), "/accounts/login/");
    EXPECT_EQ(router.reverse("logout"), "/accounts/logout/");
    EXPECT_EQ(router.find("login")->execution, http::Execution::Pool);
}

TEST_F(AccountsTest, LoginFormHasATokenAndIsNeverStored) {
    auto response = call(http::Method::Get, "login", "");
    EXPECT_EQ(response.status, 200);
    EXPECT_NE(response.body.find("name=\"csrfmiddlewaretoken\""), std::string::npos);
    EXPECT_NE(response.body.find("name=\"password\""), std::string::npos);
    EXPECT_EQ(response.header("Cache-Control"), "private, no-store");
    EXPECT_EQ(cookie_pair(response, "sessionid"), "") << "an anonymous visitor gets no session";
}

TEST_F(AccountsTest, WrongThenRightPasswordThenLogout) {
    auth->users().create("ann", "", "pw-pw-pw");
    auto wrong = call(http::Method::Post, "login", "", "username=ann&password=nope");
    EXPECT_EQ(wrong.status, 200);
    EXPECT_NE(wrong.body.find("Please enter a correct username and password."), std::string::npos);
    EXPECT_EQ(wrong.body.find("nope"), std::string::npos) << "the password is never sent back";

    auto right =
        call(http::Method::Post, "login", "", "username=ann&password=pw-pw-pw&next=%2Fapps%2F");
    EXPECT_EQ(right.status, 303);
    EXPECT_EQ(right.header("Location"), "/apps/");
    std::string session = cookie_pair(right, "sessionid");
    ASSERT_NE(session, "");
    req.reset();
    req.add_header("Cookie", session);
    req.route = router.find("login");
    EXPECT_EQ(auth->user_context(req)["username"], "ann");

    auto out = call(http::Method::Post, "logout", session);
    EXPECT_EQ(out.status, 303);
    EXPECT_EQ(out.header("Location"), "/");
    req.reset();
    req.add_header("Cookie", session);
    req.route = router.find("login");
    EXPECT_FALSE(auth->user(req)) << "the old cookie is anonymous after logout";
}

TEST_F(AccountsTest, PagesGetTheUser) {
    ASSERT_EQ(site.context_processors.size(), 1u);
    web::tmpl::Json context;
    req.reset();
    http::Response response;
    site.context_processors[0](req, response, context);
    EXPECT_EQ(context["user"]["is_authenticated"], false);
    EXPECT_FALSE(context.contains("csrf_token")) << "anonymous pages stay shareable";
}

TEST_F(AccountsTest, LoggedInPagesLogOutFormHasTheToken) {
    auth->users().create("ann", "", "pw-pw-pw");
    auto in = call(http::Method::Post, "login", "", "username=ann&password=pw-pw-pw");
    std::string cookies = cookie_pair(in, "sessionid") + "; " + cookie_pair(in, "csrftoken");
    req.reset();
    req.add_header("Cookie", cookies);
    req.route = router.find("login");  // a pool route: the user may be loaded
    http::Response page;
    site.render(req, page, "404.html", web::tmpl::Json::object());
    auto form = page.body.find("action=\"/accounts/logout/\"");
    ASSERT_NE(form, std::string::npos) << page.body;
    auto end = page.body.find("</form>", form);
    EXPECT_NE(page.body.substr(form, end - form).find("name=\"csrfmiddlewaretoken\""),
              std::string::npos);
}

TEST_F(AccountsTest, UsersCollectionHasUniqueUsernames) {
    auth->users().create("ann", "", "pw-pw-pw");
    EXPECT_THROW(auth->users().create("ann", "", "other-pw"), docstore::DuplicateKey);
}

TEST_F(AccountsTest, SignUpMailsAConfirmationLinkAndOneAccountPerAddress) {
    auto page = call(http::Method::Post, "signup", "",
                     "email=Ann%40Example.org&password1=pw-pw-pw-pw&password2=pw-pw-pw-pw");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Check your inbox"), std::string::npos);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].to, std::vector<std::string>{"Ann@Example.org"});
    EXPECT_NE(sent[0].text.find("http://famigo.test/accounts/confirm/?token="), std::string::npos)
        << sent[0].text;
    auto user = auth->users().find_by_username("ann@example.org");
    ASSERT_TRUE(user);
    EXPECT_FALSE(user->is_active) << "not before the address is confirmed";
    AccountEmails emails(*store);
    EXPECT_EQ(emails.owner("ANN@example.ORG"), user->id);
    // The same address in another case: the same page, no second account,
    // and the owner (still unconfirmed) gets a new confirmation link.
    auto again = call(http::Method::Post, "signup", "",
                      "email=ann%40EXAMPLE.org&password1=other-pw-pw&password2=other-pw-pw");
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.body.find("ann@EXAMPLE.org") != std::string::npos, true);
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[1].to, std::vector<std::string>{"Ann@Example.org"});
    EXPECT_EQ(store->collection("users").count({}), 1);
}

TEST_F(AccountsTest, NoMailSenderIsA503NotALostMail) {
    site.send_mail = nullptr;
    try {
        call(http::Method::Post, "signup", "",
             "email=x%40example.org&password1=pw-pw-pw-pw&password2=pw-pw-pw-pw");
        FAIL() << "signed up without a way to send the confirmation";
    } catch (const http::HttpError& e) {
        EXPECT_EQ(e.status(), 503);
        EXPECT_EQ(e.retry_after, 60);
    }
}

class AccountLinksTest : public AccountsTest {
  protected:
    AccountLinks links{security, LinkAges{std::chrono::seconds(100), std::chrono::seconds(10)}};
    web::auth::User user = auth->users().create("bob", "bob@example.org", "pw-pw-pw");
    std::int64_t now = 1'800'000'000;
};

TEST_F(AccountLinksTest, GoodUntilTheyExpire) {
    auto token = links.make(LinkPurpose::Reset, user, "", now);
    EXPECT_TRUE(links.check(LinkPurpose::Reset, token, auth->users(), now + 10));
    EXPECT_FALSE(links.check(LinkPurpose::Reset, token, auth->users(), now + 11));
    auto confirm = links.make(LinkPurpose::Confirm, user, "", now);
    EXPECT_TRUE(links.check(LinkPurpose::Confirm, confirm, auth->users(), now + 100));
    EXPECT_FALSE(links.check(LinkPurpose::Confirm, confirm, auth->users(), now + 101));
}

TEST_F(AccountLinksTest, OnePurposeEach) {
    auto token = links.make(LinkPurpose::Confirm, user, "", now);
    EXPECT_FALSE(links.check(LinkPurpose::Reset, token, auth->users(), now));
    EXPECT_FALSE(links.check(LinkPurpose::ChangeEmail, token, auth->users(), now));
    auto change = links.make(LinkPurpose::ChangeEmail, user, "new|odd@example.org", now);
    auto checked = links.check(LinkPurpose::ChangeEmail, change, auth->users(), now);
    ASSERT_TRUE(checked);
    EXPECT_EQ(checked->extra, "new|odd@example.org");
    EXPECT_EQ(checked->user.username, "bob");
}

TEST_F(AccountLinksTest, ForgedOrTamperedLinksFail) {
    auto token = links.make(LinkPurpose::Reset, user, "", now);
    auto other = auth->users().create("eve", "eve@example.org", "pw-pw-pw");
    std::string swapped = token;
    swapped.replace(0, user.id.size(), other.id);  // another user's id, the same signature
    for (const std::string& bad : {swapped, token + "x", token.substr(1), std::string("a:b:c"),
                                   std::string(), std::string(2000, 'a')})
        EXPECT_FALSE(links.check(LinkPurpose::Reset, bad, auth->users(), now)) << bad;
    AccountLinks other_key{web::security::WebSecurity{[] {
                               auto o = security_options();
                               o.secret_key = "another-secret-key-0123456789-abcdefghijklmnopqrst";
                               return o;
                           }()},
                           {}};
    EXPECT_FALSE(other_key.check(LinkPurpose::Reset, token, auth->users(), now));
}

TEST_F(AccountLinksTest, SingleUseThroughTheUsersState) {
    auto token = links.make(LinkPurpose::Reset, user, "", now);
    auth->users().set_password(user, "a-new-password");
    EXPECT_FALSE(links.check(LinkPurpose::Reset, token, auth->users(), now))
        << "a new password kills the links made before";
    auto fresh = links.make(LinkPurpose::Reset, user, "", now);
    auth->users().record_login(user);
    EXPECT_FALSE(links.check(LinkPurpose::Reset, fresh, auth->users(), now)) << "so does a login";
}

TEST(SafeNext, OnlyPathsOnThisSite) {
    EXPECT_EQ(safe_next("/apps/?q=1"), "/apps/?q=1");
    for (std::string bad : std::vector<std::string>{
             "", "https://evil.example/", "//evil.example/", "/\\evil.example",
             "javascript:alert(1)", "evil.example", "/a\r\nSet-Cookie: x=y", "/a b", "\\\\evil"})
        EXPECT_EQ(safe_next(bad), "/") << bad;
}

}  // namespace
}  // namespace famigo::apps::accounts
