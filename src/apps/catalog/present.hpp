// How an App is shown: one JSON shape for the API and the templates (the
// public fields plus a few display helpers), so pages and API never drift.
#pragma once

#include <nlohmann/json.hpp>

#include "apps/catalog/models.hpp"

namespace famigo::apps::catalog {

// Public fields (not source_id or title_key) plus "url" (the page path),
// "price_text" ("Free", "$4.99", "4.99 EUR"), "platform_name", "age_label",
// and "rating_count_text" / "installs_text" ("24,909").
nlohmann::json present(const App& app);

std::string price_text(double price, std::string_view currency, bool free);
std::string category_name(std::string_view slug);
std::string with_thousands(
    std::int64_t n);  // 24909 -> "24,909"  // "art-and-design" -> "Art and design"

}  // namespace famigo::apps::catalog
