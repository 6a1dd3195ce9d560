// Families, kids, sandboxes, devices, API keys, referrals, export and erase
// (apps/families/families.hpp) on SQLite and the Mongo backend.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "apps/catalog/models.hpp"
#include "store_fixture.hpp"

namespace famigo::apps::families::testing {
namespace {

template <typename Backend>
using FamilyApi = FamiliesTest<Backend>;
TYPED_TEST_SUITE(FamilyApi, StoreBackends, docstore::testing::BackendNames);

template <typename F>
std::string field_of(F&& call) {
    try {
        call();
    } catch (const docstore::ValidationError& e) {
        return e.field();
    }
    return "(no error)";
}

TYPED_TEST(FamilyApi, EmailIsUniqueWhateverItsCase) {
    auto first = this->families->create_or_get_family("Ann@Example.com", "The Smiths");
    EXPECT_TRUE(first.created);
    EXPECT_EQ(first.family.id.size(), 22U);
    auto again = this->families->create_or_get_family("  ann@example.COM ", "Other name");
    EXPECT_FALSE(again.created);
    EXPECT_EQ(again.family.id, first.family.id);
    EXPECT_EQ(again.family.name, "The Smiths");
    EXPECT_EQ(this->families->find_family_by_email("ANN@EXAMPLE.COM")->id, first.family.id);
    EXPECT_EQ(this->store->collection("families").count(), 1);
}

TYPED_TEST(FamilyApi, TenConcurrentCreatesMakeOneFamily) {
    std::vector<std::thread> threads;
    std::vector<Families::FamilyResult> results(10);
    for (int i = 0; i < 10; ++i)
        threads.emplace_back([&, i] {
            results[i] = this->families->create_or_get_family("race@example.com", "Race");
        });
    for (auto& t : threads) t.join();
    int created = 0;
    std::set<std::string> ids;
    for (const auto& r : results) {
        created += r.created ? 1 : 0;
        ids.insert(r.family.id);
    }
    EXPECT_EQ(created, 1);
    EXPECT_EQ(ids.size(), 1U);
    EXPECT_EQ(this->store->collection("families").count(), 1);
}

TYPED_TEST(FamilyApi, BadInputNamesTheField) {
    EXPECT_EQ(field_of([&] { this->families->create_or_get_family("not-an-email", "A"); }),
              "email");
    EXPECT_EQ(field_of([&] { this->families->create_or_get_family("", "A"); }), "email");
    EXPECT_EQ(field_of([&] { this->families->create_or_get_family("a@example.com", " "); }),
              "name");
    auto family = this->families->create_or_get_family("k@example.com", "K").family;
    EXPECT_EQ(field_of([&] { this->families->add_kid(family.id, "", 2020); }), "name");
    EXPECT_EQ(field_of([&] { this->families->add_kid(family.id, std::string(41, 'a'), 2020); }),
              "name");
    EXPECT_EQ(field_of([&] { this->families->add_kid(family.id, "Al", current_year() + 1); }),
              "birth_year");
    EXPECT_EQ(field_of([&] { this->families->add_kid(family.id, "Al", current_year() - 19); }),
              "birth_year");
}

TYPED_TEST(FamilyApi, KidsBelongToTheirFamilyOnly) {
    auto& api = *this->families;
    auto ours = api.create_or_get_family("ours@example.com", "Ours").family;
    auto theirs = api.create_or_get_family("theirs@example.com", "Theirs").family;
    const int year = current_year();
    Kid kid = api.add_kid(ours.id, "Mia", year - 7);
    EXPECT_EQ(kid.id.size(), 22U);
    EXPECT_EQ(age_band(kid.birth_year, year), "6-8");
    ASSERT_EQ(api.kids(ours.id).size(), 1U);
    EXPECT_TRUE(api.kids(theirs.id).empty());
    EXPECT_FALSE(api.find_kid(theirs.id, kid.id));
    EXPECT_FALSE(api.update_kid(theirs.id, kid.id, {.name = "Evil", .birth_year = std::nullopt}));
    EXPECT_FALSE(api.delete_kid(theirs.id, kid.id));
    EXPECT_FALSE(api.sandbox(theirs.id, kid.id));
    EXPECT_EQ(api.put_sandbox(theirs.id, kid.id, {"a"}, std::nullopt).outcome,
              Families::PutOutcome::NoKid);

    auto changed = api.update_kid(ours.id, kid.id, {.name = "Mimi", .birth_year = year - 10});
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->name, "Mimi");
    EXPECT_EQ(changed->birth_year, year - 10);
    EXPECT_EQ(api.find_kid(ours.id, kid.id)->name, "Mimi");

    api.put_sandbox(ours.id, kid.id, {"a"}, std::nullopt);
    EXPECT_TRUE(api.delete_kid(ours.id, kid.id));
    EXPECT_FALSE(api.find_kid(ours.id, kid.id));
    EXPECT_EQ(this->store->collection("sandboxes").count(), 0);
}

TYPED_TEST(FamilyApi, SandboxVersionsRefuseStaleWrites) {
    auto& api = *this->families;
    auto family = api.create_or_get_family("box@example.com", "Box").family;
    Kid kid = api.add_kid(family.id, "Leo", current_year() - 4);
    auto empty = api.sandbox(family.id, kid.id);
    ASSERT_TRUE(empty);
    EXPECT_EQ(empty->version, 0);
    EXPECT_TRUE(empty->apps.empty());

    auto first = api.put_sandbox(family.id, kid.id, {"b-app", "a-app", "b-app"}, 0);
    ASSERT_EQ(first.outcome, Families::PutOutcome::Stored);
    EXPECT_EQ(first.sandbox.version, 1);
    EXPECT_EQ(first.sandbox.apps, (std::vector<std::string>{"b-app", "a-app"}));

    // Two devices read version 1; the first write wins, the second is stale.
    auto one = api.put_sandbox(family.id, kid.id, {"c-app"}, 1);
    auto two = api.put_sandbox(family.id, kid.id, {"d-app"}, 1);
    EXPECT_EQ(one.outcome, Families::PutOutcome::Stored);
    EXPECT_EQ(one.sandbox.version, 2);
    EXPECT_EQ(two.outcome, Families::PutOutcome::Stale);
    EXPECT_EQ(two.sandbox.version, 2);
    EXPECT_EQ(two.sandbox.apps, (std::vector<std::string>{"c-app"}));
    EXPECT_EQ(api.put_sandbox(family.id, kid.id, {"e"}, 0).outcome, Families::PutOutcome::Stale);
    auto blind = api.put_sandbox(family.id, kid.id, {}, std::nullopt);
    EXPECT_EQ(blind.sandbox.version, 3);
    EXPECT_EQ(api.sandbox(family.id, kid.id)->version, 3);

    EXPECT_EQ(field_of([&] {
                  api.put_sandbox(family.id, kid.id, {"ok", "Not A Slug"}, {});
              }),
              "apps[1]");
    EXPECT_EQ(field_of([&] {
                  api.put_sandbox(family.id, kid.id, std::vector<std::string>(501, "x"), {});
              }),
              "apps");
}

TYPED_TEST(FamilyApi, DeviceTokensAreHashedRotatedAndRevocable) {
    auto& api = *this->families;
    auto family = api.create_or_get_family("dev@example.com", "Dev").family;
    auto other = api.create_or_get_family("other@example.com", "Other").family;
    EXPECT_FALSE(api.register_device("no-such-family", "d1", "Pixel"));
    auto first = api.register_device(family.id, "d1", "Pixel 7");
    ASSERT_TRUE(first);
    EXPECT_TRUE(first->created);
    EXPECT_EQ(api.device_for_token(first->token)->id, first->device.id);
    auto stored = this->store->collection("devices").get(first->device.id);
    EXPECT_EQ(stored->dump().find(first->token), std::string::npos);
    EXPECT_EQ((*stored)["token_hash"], token_hash(first->token));

    auto again = api.register_device(family.id, "d1", "Pixel 8");
    EXPECT_FALSE(again->created);
    EXPECT_EQ(again->device.id, first->device.id);
    EXPECT_NE(again->token, first->token);
    EXPECT_FALSE(api.device_for_token(first->token));
    EXPECT_EQ(api.device_for_token(again->token)->device_model, "Pixel 8");
    // The same device_id in another family is another device.
    EXPECT_NE(api.register_device(other.id, "d1", "x")->device.id, first->device.id);

    EXPECT_FALSE(api.revoke_device(other.id, first->device.id));
    EXPECT_TRUE(api.revoke_device(family.id, first->device.id));
    EXPECT_FALSE(api.device_for_token(again->token));
    EXPECT_EQ(this->store->collection("devices").count(), 2);
}

TYPED_TEST(FamilyApi, ApiKeysAreHashedAndRevocable) {
    auto& api = *this->families;
    auto made = api.create_api_key("sandbox-android");
    EXPECT_EQ(made.secret.substr(0, 3), "fk_");
    EXPECT_EQ(api.api_key_for(made.secret)->name, "sandbox-android");
    EXPECT_FALSE(api.api_key_for(made.secret + "x"));
    EXPECT_THROW(api.create_api_key("sandbox-android"), docstore::DuplicateKey);
    EXPECT_EQ(field_of([&] { api.create_api_key("bad name"); }), "name");
    EXPECT_EQ(this->store->collection("api_keys").find().front().dump().find(made.secret),
              std::string::npos);
    EXPECT_TRUE(api.revoke_api_key("sandbox-android"));
    EXPECT_FALSE(api.api_key_for(made.secret));
    EXPECT_FALSE(api.revoke_api_key("nope"));
    ASSERT_EQ(api.api_keys().size(), 1U);
    EXPECT_TRUE(api.api_keys().front().revoked);
}

TYPED_TEST(FamilyApi, ReferralsCreditBothAndExpire) {
    auto& api = *this->families;
    std::time_t now = 1'800'000'000;
    api.clock = [&] { return now; };
    auto inviter = api.create_or_get_family("a@example.com", "A").family;
    auto joiner = api.create_or_get_family("b@example.com", "B").family;
    auto late = api.create_or_get_family("c@example.com", "C").family;
    auto invite = api.invite(inviter.id, "Friend@Example.com");
    ASSERT_TRUE(invite);
    EXPECT_EQ(api.invite(inviter.id, "friend@example.com")->id, invite->id);
    EXPECT_EQ(this->store->collection("referrals").find().front().dump().find("riend"),
              std::string::npos);
    EXPECT_EQ(api.join(invite->id, inviter.id), Families::JoinOutcome::Own);
    EXPECT_EQ(api.join("nope", joiner.id), Families::JoinOutcome::Unknown);
    EXPECT_EQ(api.join(invite->id, joiner.id), Families::JoinOutcome::Joined);
    EXPECT_EQ(api.join(invite->id, late.id), Families::JoinOutcome::Used);
    EXPECT_EQ(api.find_family(inviter.id)->credits, 1);
    EXPECT_EQ(api.find_family(joiner.id)->credits, 1);
    EXPECT_EQ(api.referral_joined(joiner.id)->family_id, inviter.id);
    EXPECT_EQ(api.referrals_sent(inviter.id).front().joined_by, joiner.id);

    auto old = api.invite(inviter.id, "x@example.com");
    now += kReferralLifetime + 1;
    EXPECT_EQ(api.join(old->id, late.id), Families::JoinOutcome::Expired);
    EXPECT_EQ(api.find_family(late.id)->credits, 0);
    auto second = api.invite(late.id, "y@example.com");
    EXPECT_EQ(api.join(second->id, joiner.id), Families::JoinOutcome::AlreadyReferred);
    EXPECT_EQ(field_of([&] { api.invite(inviter.id, "nope"); }), "email");
}

TYPED_TEST(FamilyApi, ExportHoldsEverythingButSecretsAndEraseRemovesIt) {
    auto& api = *this->families;
    auto family = api.create_or_get_family("exp@example.com", "Exp").family;
    auto other = api.create_or_get_family("keep@example.com", "Keep").family;
    for (const auto& id : {family.id, other.id}) {
        Kid kid = api.add_kid(id, "Kid", current_year() - 9);
        api.put_sandbox(id, kid.id, {"app-a"}, std::nullopt);
        auto device = api.register_device(id, "dev", "Phone");
        api.record_launches(device->device,
                            {{0, "e1", kid.id, "app-a", "2026-12-01T10:00:00Z", 30}});
        api.invite(id, "friend@example.com");
    }
    auto exported = api.export_family(family.id);
    ASSERT_TRUE(exported);
    const auto& doc = *exported;
    EXPECT_EQ(doc["family"]["email"], "exp@example.com");
    EXPECT_FALSE(doc["family"].contains("email_key"));
    EXPECT_EQ(doc["kids"].size(), 1U);
    EXPECT_EQ(doc["sandboxes"][0]["apps"][0], "app-a");
    EXPECT_EQ(doc["devices"].size(), 1U);
    EXPECT_FALSE(doc["devices"][0].contains("token_hash"));
    EXPECT_EQ(doc["launches"].size(), 1U);
    EXPECT_EQ(doc["referrals"].size(), 1U);
    EXPECT_FALSE(doc["referrals"][0].contains("email_hash"));
    EXPECT_EQ(doc.dump().find(other.id), std::string::npos);
    EXPECT_FALSE(api.export_family("nope"));

    EXPECT_TRUE(api.erase_family(family.id));
    EXPECT_FALSE(api.erase_family(family.id));
    EXPECT_FALSE(api.find_family(family.id));
    for (const char* name : {"kids", "sandboxes", "devices", "launches", "referrals"}) {
        EXPECT_EQ(this->store->collection(name).count(docstore::field("family_id") == family.id), 0)
            << name;
        EXPECT_EQ(this->store->collection(name).count(docstore::field("family_id") == other.id), 1)
            << name;
    }
}

TEST(FamiliesAgeBands, MatchTheCatalogs) {
    EXPECT_EQ(kAgeBands, catalog::kAgeBands);
    EXPECT_EQ(age_band(2020, 2025), "0-5");
    EXPECT_EQ(age_band(2019, 2025), "6-8");
    EXPECT_EQ(age_band(2016, 2025), "9-12");
    EXPECT_EQ(age_band(2013, 2025), "9-12");
    EXPECT_EQ(age_band(2012, 2025), "13+");
}

}  // namespace
}  // namespace famigo::apps::families::testing
