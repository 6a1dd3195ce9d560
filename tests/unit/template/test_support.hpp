// Helpers shared by the template tests: a URL resolver that knows the same
// patterns as the Django case generator's URLconf.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "web/template/engine.hpp"

namespace famigo::web::tmpl::testing {

// Mirrors tools/django_cases/generate.py: home "", app-detail
// "app/<slug:slug>/", applist "applist/<int:id>/", search "search/",
// user-n "u/<str:user>/<int:n>/".
std::optional<std::string> case_url_resolver(std::string_view name, std::span<const Value> args,
                                             std::span<const std::pair<std::string, Value>> kwargs);

}  // namespace famigo::web::tmpl::testing
