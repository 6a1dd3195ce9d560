// Users in the SQLite store: Django's username rules, unique usernames, Argon2id
// hashes, authenticate() with legacy hashes upgraded at a successful login.
#include "web/auth/users.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "docstore/errors.hpp"
#include "docstore/filter.hpp"
#include "docstore/model.hpp"
#include "docstore/store.hpp"
#include "test_support.hpp"

namespace famigo::web::auth {
namespace {

class UsersTest : public ::testing::Test {
  protected:
    UsersTest() {
        docstore::ModelRegistry models;
        models.add<User>();
        docstore::migrate(*store, models);
    }
    std::string stored_hash(const std::string& username) {
        auto doc = store->collection("users").find_one(docstore::field("username") == username);
        return doc ? (*doc)["password"].get<std::string>() : "";
    }
    void insert_legacy(const std::string& username, const std::string& hash) {
        store->collection("users").insert({{"username", username},
                                           {"email", ""},
                                           {"password", hash},
                                           {"is_active", true},
                                           {"is_staff", false},
                                           {"date_joined", "2011-05-01T10:00:00Z"}});
    }

    testing::TempDir dir;
    std::unique_ptr<docstore::Store> store = docstore::open_store({.url = dir.url("users.db")});
    security::PasswordHasher hasher{1, 64 * 1024};
    Users users{*store, hasher};
};

TEST(UsernameRules, AreDjangos) {
    for (std::string ok :
         std::vector<std::string>{"ann", "Ann.Lee", "a+b@c-d_e", std::string(150, 'x'), "0"})
        EXPECT_FALSE(username_problem(ok)) << ok;
    EXPECT_TRUE(username_problem(""));
    EXPECT_TRUE(username_problem(std::string(151, 'x')));
    for (std::string bad :
         std::vector<std::string>{"ann lee", "<script>", "a/b", "a:b", "ann\n", "é"})
        EXPECT_TRUE(username_problem(bad)) << bad;
}

TEST_F(UsersTest, CreateHashesWithArgon2idAndIndexes) {
    User user = users.create("ann", "ann@example.com", "correct horse", true);
    EXPECT_FALSE(user.id.empty());
    EXPECT_TRUE(user.password.starts_with("argon2$argon2id$")) << user.password;
    EXPECT_TRUE(user.is_staff);
    EXPECT_TRUE(user.is_active);
    EXPECT_EQ(user.date_joined.size(), 20u) << user.date_joined;
    EXPECT_FALSE(user.last_login);
    auto found = users.find_by_username("ann");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->email, "ann@example.com");
    EXPECT_FALSE(users.find_by_username("Ann")) << "usernames are case-sensitive, as Django's";

    bool unique_username = false;
    for (const auto& index : store->collection("users").indexes())
        unique_username |=
            index.unique && index.keys.size() == 1 && index.keys[0].path == "username";
    EXPECT_TRUE(unique_username);
    EXPECT_THROW(users.create("ann", "", "x"), docstore::DuplicateKey);
    EXPECT_THROW(users.create("bad name", "", "x"), docstore::ValidationError);
}

TEST_F(UsersTest, AuthenticateChecksPasswordAndActivity) {
    users.create("ann", "", "s3cret!");
    EXPECT_TRUE(users.authenticate("ann", "s3cret!"));
    EXPECT_FALSE(users.authenticate("ann", "s3cret"));
    EXPECT_FALSE(users.authenticate("ann", ""));
    EXPECT_FALSE(users.authenticate("nobody", "s3cret!"));
    EXPECT_FALSE(users.authenticate("", ""));
    store->collection("users").update(docstore::field("username") == "ann",
                                      docstore::Update().set("is_active", false));
    EXPECT_FALSE(users.authenticate("ann", "s3cret!")) << "inactive users cannot log in";
}

TEST_F(UsersTest, LegacyPbkdf2HashIsUpgradedAtLogin) {
    insert_legacy("old", security::make_pbkdf2_sha256("hunter22", "saltsalt", 1000));
    EXPECT_FALSE(users.authenticate("old", "hunter2"));
    EXPECT_TRUE(stored_hash("old").starts_with("pbkdf2_sha256$")) << "no upgrade on a failure";
    auto user = users.authenticate("old", "hunter22");
    ASSERT_TRUE(user);
    EXPECT_TRUE(user->password.starts_with("argon2$"));
    EXPECT_TRUE(stored_hash("old").starts_with("argon2$argon2id$")) << stored_hash("old");
    EXPECT_TRUE(users.authenticate("old", "hunter22")) << "the new hash verifies";
}

TEST_F(UsersTest, LegacySha1HashIsUpgradedAtLogin) {
    insert_legacy("older", security::make_sha1_legacy("letmein", "abcde"));
    ASSERT_TRUE(stored_hash("older").starts_with("sha1$"));
    EXPECT_TRUE(users.authenticate("older", "letmein"));
    EXPECT_TRUE(stored_hash("older").starts_with("argon2$argon2id$"));
}

TEST_F(UsersTest, WeakerArgon2HashIsUpgraded) {
    security::PasswordHasher weak{1, 16 * 1024};
    insert_legacy("weak", weak.hash("pw-pw-pw"));
    std::string before = stored_hash("weak");
    EXPECT_TRUE(users.authenticate("weak", "pw-pw-pw"));
    EXPECT_NE(stored_hash("weak"), before);
    EXPECT_NE(stored_hash("weak").find("m=64,"), std::string::npos) << stored_hash("weak");
}

TEST_F(UsersTest, SetPasswordAndRecordLogin) {
    users.create("ann", "", "first-pw");
    EXPECT_TRUE(users.set_password("ann", "second-pw"));
    EXPECT_FALSE(users.set_password("nobody", "x"));
    EXPECT_FALSE(users.authenticate("ann", "first-pw"));
    auto user = users.authenticate("ann", "second-pw");
    ASSERT_TRUE(user);
    users.record_login(*user);
    EXPECT_TRUE(users.find_by_username("ann")->last_login);
}

}  // namespace
}  // namespace famigo::web::auth
