// The catalog app's entry points, as src/apps/installed.cpp lists them: its
// config keys, its models, and install(), which starts what the app runs
// (the generation watcher, the views) and adds its routes (urls.cpp).
//
// Config keys (defined in urls.cpp):
//   catalog.page_ttl        page-cache lifetime of catalog pages and API answers ("10m")
//   catalog.watch_interval  how often the store's catalog generation is read ("2s")
#pragma once

#include "apps/site/site.hpp"

namespace famigo::config {
class Schema;
}

namespace famigo::apps::catalog {

void define_config(config::Schema& schema);
// Registers the routes on site.router with their page-cache policy and starts
// the generation watcher; the result keeps both alive while the server runs.
Running install(Site& site);

}  // namespace famigo::apps::catalog
