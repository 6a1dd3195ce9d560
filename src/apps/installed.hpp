// The one list of installed product apps (src/apps/installed.cpp). Adding an
// app touches that list only: `famigo serve` installs every app on the Site
// (routes, views, background work), serve, migrate and import register every
// app's models, and the config schema gathers every app's keys.
#pragma once

#include <span>
#include <vector>

#include "apps/site/site.hpp"

namespace famigo::config {
class Schema;
}

namespace famigo::apps {

struct InstalledApp {
    const char* name;
    void (*define_config)(config::Schema&);             // nullptr: no keys of its own
    void (*register_models)(docstore::ModelRegistry&);  // nullptr: no documents
    Running (*install)(Site&);                          // nullptr: no routes
};

std::span<const InstalledApp> installed_apps();

// Each of these runs the matching part of every installed app, in list order.
void define_config(config::Schema& schema);
void register_models(docstore::ModelRegistry& registry);
// What the apps keep alive while the server runs; serve destroys it before the Site.
std::vector<Running> install(Site& site);

}  // namespace famigo::apps
