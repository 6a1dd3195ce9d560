#include "apps/accounts/models.hpp"

#include "apps/accounts/emails.hpp"
#include "web/auth/users.hpp"

namespace famigo::apps::accounts {

void register_models(docstore::ModelRegistry& registry) {
    registry.add<web::auth::User>();
    registry.add<EmailClaim>();
}

}  // namespace famigo::apps::accounts
