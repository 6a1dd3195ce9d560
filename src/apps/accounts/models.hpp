// The accounts app's documents: the `users` collection, and `account_emails`
// (emails.hpp: which account has which address, case-insensitively). The User type and its
// store (web/auth/users.hpp) are platform: sessions and Auth::user() need
// them, and web/ must not include apps/. What belongs to the app is that a
// site with accounts has that collection: register_models() adds it to the
// registry serve, migrate and `famigo user` create collections and indexes from.
#pragma once

#include "docstore/model.hpp"

namespace famigo::apps::accounts {

void register_models(docstore::ModelRegistry& registry);

}  // namespace famigo::apps::accounts
