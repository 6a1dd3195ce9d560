#include "apps/accounts/models.hpp"

#include "web/auth/users.hpp"

namespace famigo::apps::accounts {

void register_models(docstore::ModelRegistry& registry) {
    registry.add<web::auth::User>();
}

}  // namespace famigo::apps::accounts
