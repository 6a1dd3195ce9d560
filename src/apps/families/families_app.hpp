// The families app's entry points, as src/apps/installed.cpp lists them: its
// config keys, its models (models.hpp) and install(), which adds the Sandbox
// API v1's routes (urls.cpp) and its part of the OpenAPI document.
//
// Config keys (defined in urls.cpp):
//   families.rate_per_key       requests a minute per client API key (12000)
//   families.rate_per_device    requests a minute per device token (600)
//   families.idempotency_ttl    how long an Idempotency-Key's answer is kept ("24h")
#pragma once

#include "apps/site/site.hpp"

namespace famigo::config {
class Schema;
}

namespace famigo::apps::families {

void define_config(config::Schema& schema);
Running install(Site& site);

}  // namespace famigo::apps::families
