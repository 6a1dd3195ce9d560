// The Sandbox API v1's part of the OpenAPI document served at
// /api/v1/openapi.json (the catalog builds the document; Site::openapi_parts
// lets this app add to it): every path, its security, bodies, answers and
// errors, and the schemas they use.
#pragma once

#include <nlohmann/json.hpp>

namespace famigo::apps::families {

void add_openapi_paths(nlohmann::json& document);

}  // namespace famigo::apps::families
