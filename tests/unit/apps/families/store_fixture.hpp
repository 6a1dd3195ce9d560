// The families tests' fixture: a fresh store of the typed backend, migrated
// with the families app's models, and a Families over it.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "../../docstore/backends.hpp"
#include "apps/families/families.hpp"
#include "docstore/model.hpp"

namespace famigo::apps::families::testing {

template <typename Backend>
class FamiliesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        FAMIGO_REQUIRE_BACKEND(Backend);
        store = backend.open();
        register_models(registry);
        docstore::migrate(*store, registry);
        families = std::make_unique<Families>(*store, "test-secret");
    }
    Backend backend;
    std::unique_ptr<docstore::Store> store;
    docstore::ModelRegistry registry;
    std::unique_ptr<Families> families;
};

using StoreBackends =
    ::testing::Types<docstore::testing::SqliteBackend, docstore::testing::MongoBackend>;

}  // namespace famigo::apps::families::testing
