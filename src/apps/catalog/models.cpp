#include "apps/catalog/models.hpp"

namespace famigo::apps::catalog {

void register_models(docstore::ModelRegistry& registry) {
    registry.add<App>();
}

}  // namespace famigo::apps::catalog
