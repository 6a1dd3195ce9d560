// The catalog app: registration of its models with the store's registry.
#pragma once

#include "docstore/model.hpp"

namespace famigo::apps::catalog {

void register_models(docstore::ModelRegistry& registry);

}  // namespace famigo::apps::catalog
