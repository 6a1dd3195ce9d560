#include "apps/installed.hpp"

#include "apps/accounts/accounts.hpp"
#include "apps/accounts/models.hpp"
#include "apps/accounts/urls.hpp"
#include "apps/catalog/catalog.hpp"
#include "apps/catalog/models.hpp"
#include "apps/families/families_app.hpp"
#include "apps/families/models.hpp"

namespace famigo::apps {
namespace {

constexpr InstalledApp kApps[] = {
    {"catalog", catalog::define_config, catalog::register_models, catalog::install},
    {"accounts", accounts::define_config, accounts::register_models, accounts::install},
    {"families", families::define_config, families::register_models, families::install},
};

}  // namespace

std::span<const InstalledApp> installed_apps() {
    return kApps;
}

void define_config(config::Schema& schema) {
    for (const auto& app : kApps)
        if (app.define_config) app.define_config(schema);
}

void register_models(docstore::ModelRegistry& registry) {
    for (const auto& app : kApps)
        if (app.register_models) app.register_models(registry);
}

std::vector<Running> install(Site& site) {
    std::vector<Running> running;
    for (const auto& app : kApps)
        if (app.install) running.push_back(app.install(site));
    return running;
}

}  // namespace famigo::apps
