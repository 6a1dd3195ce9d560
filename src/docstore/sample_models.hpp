// Two small models that exercise every model feature (rules, an embedded
// document, lists, a reference with a delete rule, compound and unique
// indexes). The tests use them, and `famigo migrate --sample-models` registers
// them so the CLI can be tried before any product app declares its own.
#pragma once

#include "docstore/model.hpp"

namespace famigo::docstore::samples {

struct Developer {
    std::string name;
    std::string email;
    std::optional<std::string> website;
    static const Model<Developer>& model() {
        static const auto m =
            Model<Developer>("")
                .field("name", &Developer::name, {.required = true, .max_length = 100})
                .field("email", &Developer::email, {.email = true})
                .field("website", &Developer::website, {.url = true});
        return m;
    }
};

struct Shelf {
    std::string id;
    std::string title;
    static const Model<Shelf>& model() {
        static const auto m =
            Model<Shelf>("sample_shelves")
                .field("title", &Shelf::title, {.required = true, .unique = true});
        return m;
    }
};

struct SampleApp {
    std::string id;
    std::string slug;
    std::string name;
    std::string platform = "android";
    double rating = 0;
    std::int64_t downloads = 0;
    std::vector<std::string> tags;
    Developer developer;
    std::vector<Developer> contributors;
    std::string shelf;  // a Shelf id; deleting the shelf deletes its apps
    static const Model<SampleApp>& model() {
        static const auto m =
            Model<SampleApp>("sample_apps")
                .field(
                    "slug", &SampleApp::slug,
                    {.required = true, .max_length = 80, .regex = "^[a-z0-9-]+$", .unique = true})
                .field("name", &SampleApp::name, {.required = true, .max_length = 200})
                .field("platform", &SampleApp::platform,
                       {.default_value = "android", .choices = {"android", "ios"}})
                .field("rating", &SampleApp::rating, {.min = 0, .max = 5})
                .field("downloads", &SampleApp::downloads, {.min = 0})
                .field("tags", &SampleApp::tags, {.max_length = 10})
                .field("developer", &SampleApp::developer)
                .field("contributors", &SampleApp::contributors)
                .reference("shelf", &SampleApp::shelf, "sample_shelves", DeleteRule::Cascade)
                .index("platform,-rating");
        return m;
    }
};

inline void register_samples(ModelRegistry& registry) {
    registry.add<Shelf>().add<SampleApp>();
}

}  // namespace famigo::docstore::samples
