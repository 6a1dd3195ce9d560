// Launch ingestion (each event once, bad ones named by index) and
// recommendations, on SQLite and the Mongo backend.
#include <gtest/gtest.h>

#include "docstore/store.hpp"
#include "store_fixture.hpp"

namespace famigo::apps::families::testing {
namespace {

template <typename Backend>
class LaunchApi : public FamiliesTest<Backend> {
  protected:
    void SetUp() override {
        FamiliesTest<Backend>::SetUp();
        if (this->IsSkipped() || this->HasFailure()) return;
        family = this->families->create_or_get_family("l@example.com", "L").family;
        kid = this->families->add_kid(family.id, "Zoe", current_year() - 7);
        device = this->families->register_device(family.id, "phone", "P")->device;
    }
    Family family;
    Kid kid;
    Device device;
};
TYPED_TEST_SUITE(LaunchApi, StoreBackends, docstore::testing::BackendNames);

TYPED_TEST(LaunchApi, EachEventIsRecordedOnceAndBadOnesAreNamed) {
    auto& api = *this->families;
    const std::string t = "2026-12-01T10:00:00Z";
    std::vector<LaunchEvent> batch = {
        {0, "e1", this->kid.id, "app-a", t, 30},        {1, "e2", this->kid.id, "Bad Slug", t, 30},
        {2, "e3", "someone-elses-kid", "app-a", t, 30}, {3, "e4", this->kid.id, "app-b", t, -1},
        {4, "e1", this->kid.id, "app-a", t, 30},  // the same event twice in one batch
        {5, "e5", this->kid.id, "app-a", "", 30},       {6, "e6", this->kid.id, "app-b", t, 5},
    };
    auto report = api.record_launches(this->device, batch);
    EXPECT_EQ(report.recorded, 2U);
    EXPECT_EQ(report.duplicates, 1U);
    ASSERT_EQ(report.rejected.size(), 4U);
    EXPECT_EQ(report.rejected[0].index, 1U);
    EXPECT_EQ(report.rejected[0].field, "app");
    EXPECT_EQ(report.rejected[1].index, 2U);
    EXPECT_EQ(report.rejected[1].field, "kid_id");
    EXPECT_EQ(report.rejected[2].field, "seconds");
    EXPECT_EQ(report.rejected[3].field, "started_at");

    // The offline device resends everything, plus one new event.
    batch.push_back({7, "e7", this->kid.id, "app-a", t, 1});
    auto resent = api.record_launches(this->device, batch);
    EXPECT_EQ(resent.recorded, 1U);
    EXPECT_EQ(resent.duplicates, 3U);
    EXPECT_EQ(api.launch_count(this->family.id), 3);
    auto counts = this->store->collection("launch_counts").get("6-8|app-a");
    ASSERT_TRUE(counts);
    EXPECT_EQ((*counts)["launches"], 2);
}

TYPED_TEST(LaunchApi, AnotherFamilysKidIsRejected) {
    auto& api = *this->families;
    auto other = api.create_or_get_family("o@example.com", "O").family;
    Kid theirs = api.add_kid(other.id, "Max", current_year() - 7);
    auto report = api.record_launches(this->device,
                                      {{0, "x", theirs.id, "app-a", "2026-12-01T10:00:00Z", 3}});
    EXPECT_EQ(report.recorded, 0U);
    ASSERT_EQ(report.rejected.size(), 1U);
    EXPECT_EQ(report.rejected[0].field, "kid_id");
    EXPECT_EQ(api.launch_count(other.id), 0);
}

TYPED_TEST(LaunchApi, RecommendationsRankApprovedThenLaunchesThenRating) {
    auto& api = *this->families;
    auto& apps = this->store->collection("apps");
    auto app = [&](const std::string& slug, const std::string& band, bool approved, double rating) {
        apps.insert({{"slug", slug},
                     {"title", slug},
                     {"published", true},
                     {"age_band", band},
                     {"approved", approved},
                     {"rating", rating}});
    };
    app("approved-low", "6-8", true, 3.0);
    app("popular", "6-8", false, 2.0);
    app("top-rated", "6-8", false, 4.9);
    app("in-sandbox", "6-8", true, 5.0);
    app("too-old", "13+", true, 5.0);
    api.put_sandbox(this->family.id, this->kid.id, {"in-sandbox"}, std::nullopt);
    std::vector<LaunchEvent> events;
    for (int i = 0; i < 3; ++i)
        events.push_back({static_cast<std::size_t>(i), "p" + std::to_string(i), this->kid.id,
                          "popular", "2026-12-01T10:00:00Z", 10});
    api.record_launches(this->device, events);

    auto recs = api.recommendations(this->family.id, this->kid.id, 10);
    ASSERT_TRUE(recs);
    std::vector<std::string> slugs;
    for (const auto& r : *recs) slugs.push_back(r["slug"]);
    EXPECT_EQ(slugs, (std::vector<std::string>{"approved-low", "popular", "top-rated"}));
    EXPECT_EQ((*recs)[1]["launches"], 3);
    EXPECT_EQ(api.recommendations(this->family.id, this->kid.id, 1)->size(), 1U);
    EXPECT_FALSE(api.recommendations("other", this->kid.id, 10));
}

}  // namespace
}  // namespace famigo::apps::families::testing
