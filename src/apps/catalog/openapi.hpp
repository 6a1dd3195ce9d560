// The OpenAPI 3 document for /api/v1, built from the same parameter table
// (listing_parameters) and App presentation the handlers use.
#pragma once

#include <nlohmann/json.hpp>

namespace famigo::apps::catalog {

nlohmann::json openapi_document();

}  // namespace famigo::apps::catalog
