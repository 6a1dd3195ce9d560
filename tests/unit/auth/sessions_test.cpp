// The session store contract, run on every engine: the memory cache, the SQLite
// document store and a real memcached. Then Sessions over them: signed
// cookies, saving only when modified, cycle_id, flush, tampering, expiry.
#include "web/auth/sessions.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "cache/factory.hpp"
#include "docstore/filter.hpp"
#include "docstore/store.hpp"
#include "memcached_env.hpp"
#include "test_support.hpp"

namespace famigo::web::auth {
namespace {

using namespace std::chrono_literals;
using testing::set_cookie_header;
using testing::set_cookie_line;

// Each engine: a store with the given age, and a way to let time pass.
struct MemoryEngine {
    static constexpr std::chrono::seconds kAge{2};
    std::unique_ptr<cache::Cache> cache = cache::make_cache("memory://", cache::CacheSettings{});
    std::unique_ptr<SessionStore> make() {
        return std::make_unique<CacheSessionStore>(*cache, kAge);
    }
    bool ready(std::string*) { return true; }
    void pass(std::chrono::seconds s) { std::this_thread::sleep_for(s + 200ms); }
};

struct SqliteEngine {
    static constexpr std::chrono::seconds kAge{2};
    testing::TempDir dir;
    std::unique_ptr<docstore::Store> store = docstore::open_store({.url = dir.url("s.db")});
    std::shared_ptr<std::atomic<std::int64_t>> now =
        std::make_shared<std::atomic<std::int64_t>>(1'700'000'000'000);
    std::unique_ptr<SessionStore> make() {
        return std::make_unique<DocumentSessionStore>(*store, kAge,
                                                      [n = now] { return n->load(); });
    }
    bool ready(std::string*) { return true; }
    void pass(std::chrono::seconds s) { *now += s.count() * 1000 + 1; }
};

struct MemcachedEngine {
    static constexpr std::chrono::seconds kAge{2};
    famigo::testing::MemcachedEnv env{1};
    std::unique_ptr<cache::Cache> cache;
    std::unique_ptr<SessionStore> make() {
        cache::CacheSettings settings;
        settings.keys = {"sess", 1};
        cache = cache::make_cache(env.url(), settings);
        return std::make_unique<CacheSessionStore>(*cache, kAge);
    }
    bool ready(std::string* why) {
        *why = env.error();
        return env.ok();
    }
    // memcached counts expiry in whole seconds of its own clock.
    void pass(std::chrono::seconds s) { std::this_thread::sleep_for(s + 1200ms); }
};

template <class Engine>
class SessionContract : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        if (!engine.ready(&why)) {
            if (famigo::testing::services_required()) FAIL() << why;
            GTEST_SKIP() << why << " (FAMIGO_REQUIRE_SERVICES=1 makes this fail)";
        }
        store = engine.make();
        SessionOptions options;
        options.age = Engine::kAge;
        security::CookieOptions cookie;
        cookie.secure = true;
        sessions = std::make_unique<Sessions>(
            *store, security::Signer(testing::kSecret, "sessions"), options, cookie);
    }

    // Saves `session`, returns the new cookie pair "sessionid=..." (or "").
    std::string save(Session& session) {
        http::Response response;
        sessions->save(session, response);
        auto value = security::find_set_cookie(response, "sessionid");
        return value ? "sessionid=" + std::string(*value) : "";
    }

    Session load(const std::string& cookie) {
        set_cookie_header(request, cookie);
        return sessions->load(request);
    }

    Engine engine;
    std::unique_ptr<SessionStore> store;
    std::unique_ptr<Sessions> sessions;
    http::Request request;
};

using Engines = ::testing::Types<MemoryEngine, SqliteEngine, MemcachedEngine>;
TYPED_TEST_SUITE(SessionContract, Engines);

TYPED_TEST(SessionContract, StoreSavesLoadsAndRemoves) {
    auto& sessions_store = *this->store;
    EXPECT_FALSE(sessions_store.load("nope"));
    sessions_store.save("abc", {{"a", 1}, {"b", {{"c", "d"}}}});
    auto data = sessions_store.load("abc");
    ASSERT_TRUE(data);
    EXPECT_EQ((*data)["a"], 1);
    EXPECT_EQ((*data)["b"]["c"], "d");
    sessions_store.save("abc", {{"a", 2}});
    EXPECT_EQ((*sessions_store.load("abc"))["a"], 2);
    EXPECT_FALSE(sessions_store.load("abc")->contains("b"));
    sessions_store.remove("abc");
    EXPECT_FALSE(sessions_store.load("abc"));
    sessions_store.remove("abc");  // removing twice is fine
}

TYPED_TEST(SessionContract, StoreForgetsExpiredSessions) {
    this->store->save("old", {{"a", 1}});
    this->engine.pass(TypeParam::kAge);
    EXPECT_FALSE(this->store->load("old"));
}

TYPED_TEST(SessionContract, NewSessionIsNotWrittenUntilModified) {
    Session session = this->load("");
    EXPECT_TRUE(session.empty());
    EXPECT_TRUE(session.id().empty());
    EXPECT_EQ(this->save(session), "");
}

TYPED_TEST(SessionContract, ModifiedSessionGetsSignedSecureCookie) {
    Session session = this->load("other=1");
    session.set("cart", 3);
    http::Response response;
    this->sessions->save(session, response);
    auto line = set_cookie_line(response, "sessionid");
    ASSERT_TRUE(line);
    EXPECT_NE(line->find("HttpOnly"), std::string::npos) << *line;
    EXPECT_NE(line->find("SameSite=Lax"), std::string::npos) << *line;
    EXPECT_NE(line->find("Secure"), std::string::npos) << *line;
    EXPECT_NE(line->find("Max-Age=2;"), std::string::npos) << *line;
    ASSERT_EQ(session.id().size(), 32u);
    std::string value(*security::find_set_cookie(response, "sessionid"));
    EXPECT_TRUE(value.starts_with(session.id() + ":")) << value;

    Session again = this->load("sessionid=" + value);
    EXPECT_EQ(again.id(), session.id());
    EXPECT_EQ(again.data()["cart"], 3);
    EXPECT_TRUE(again.from_cookie());
    EXPECT_EQ(this->save(again), "") << "an unmodified session is not written again";
}

TYPED_TEST(SessionContract, TamperedOrUnknownCookiesGiveAFreshSession) {
    Session session = this->load("");
    session.set("user", "ann");
    std::string cookie = this->save(session);
    ASSERT_FALSE(cookie.empty());
    std::string id = session.id();

    std::string tampered = cookie;
    tampered[std::string("sessionid=").size()] ^= 1;  // one letter of the id
    for (const std::string& bad : std::vector<std::string>{
             tampered, "sessionid=" + id, "sessionid=" + id + ":", "sessionid=junk",
             "sessionid=" + this->sessions->cookie_value(new_session_id()),
             "sessionid=" + this->sessions->cookie_value("short")}) {
        Session fresh = this->load(bad);
        EXPECT_TRUE(fresh.empty()) << bad;
        EXPECT_TRUE(fresh.id().empty()) << bad;
        EXPECT_FALSE(fresh.from_cookie()) << bad;
    }
    // A signature made for another purpose is worthless here.
    security::Signer messages(testing::kSecret, "messages");
    EXPECT_TRUE(this->load("sessionid=" + messages.sign(id)).empty());
    EXPECT_EQ(this->load(cookie).data()["user"], "ann");
}

TYPED_TEST(SessionContract, CycleIdMovesTheDataAndDeletesTheOldId) {
    Session session = this->load("");
    session.set("cart", 1);
    std::string before = this->save(session);
    std::string old_id = session.id();

    Session loaded = this->load(before);
    this->sessions->cycle_id(loaded);
    std::string after = this->save(loaded);
    ASSERT_FALSE(after.empty());
    EXPECT_NE(loaded.id(), old_id);
    EXPECT_NE(after, before);
    EXPECT_TRUE(this->load(before).empty()) << "the old id must be gone";
    EXPECT_FALSE(this->store->load(old_id));
    EXPECT_EQ(this->load(after).data()["cart"], 1);
}

TYPED_TEST(SessionContract, FlushDeletesTheSessionAndExpiresTheCookie) {
    Session session = this->load("");
    session.set("user", "ann");
    std::string cookie = this->save(session);
    Session loaded = this->load(cookie);
    this->sessions->flush(loaded);
    http::Response response;
    this->sessions->save(loaded, response);
    auto line = set_cookie_line(response, "sessionid");
    ASSERT_TRUE(line);
    EXPECT_NE(line->find("Max-Age=0"), std::string::npos) << *line;
    EXPECT_TRUE(this->load(cookie).empty());
}

TYPED_TEST(SessionContract, EmptiedSessionIsDeleted) {
    Session session = this->load("");
    session.set("a", 1);
    std::string cookie = this->save(session);
    Session loaded = this->load(cookie);
    loaded.erase("a");
    http::Response response;
    this->sessions->save(loaded, response);
    auto line = set_cookie_line(response, "sessionid");
    ASSERT_TRUE(line);
    EXPECT_NE(line->find("Max-Age=0"), std::string::npos);
    EXPECT_TRUE(this->load(cookie).empty());
}

TYPED_TEST(SessionContract, SessionsExpireAfterTheirAge) {
    Session session = this->load("");
    session.set("a", 1);
    std::string cookie = this->save(session);
    EXPECT_FALSE(this->load(cookie).empty());
    this->engine.pass(TypeParam::kAge);
    Session expired = this->load(cookie);
    EXPECT_TRUE(expired.empty());
    EXPECT_TRUE(expired.id().empty());
}

TEST(DocumentSessionStore, DeletesExpiredSessionsWhenMetAndPurges) {
    SqliteEngine engine;
    auto store = engine.make();
    auto& collection = engine.store->collection("sessions");
    bool indexed = false;
    for (const auto& index : collection.indexes())
        indexed |= index.keys.size() == 1 && index.keys[0].path == "expires";
    EXPECT_TRUE(indexed);
    store->save("a", {{"x", 1}});
    store->save("b", {{"x", 2}});
    engine.pass(SqliteEngine::kAge);
    store->save("c", {{"x", 3}});
    EXPECT_FALSE(store->load("a"));
    EXPECT_FALSE(collection.get("a")) << "met expired: deleted";
    EXPECT_TRUE(collection.get("b"));
    EXPECT_EQ(store->purge_expired(), 1);
    EXPECT_FALSE(collection.get("b"));
    EXPECT_TRUE(store->load("c"));
}

}  // namespace
}  // namespace famigo::web::auth
