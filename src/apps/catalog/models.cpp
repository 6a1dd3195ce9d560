#include "apps/catalog/catalog.hpp"

#include "apps/catalog/app.hpp"

namespace famigo::apps::catalog {

void register_models(docstore::ModelRegistry& registry) {
    registry.add<App>();
}

}  // namespace famigo::apps::catalog
