#include "apps/catalog/present.hpp"

#include <cmath>
#include <cstdio>

namespace famigo::apps::catalog {

std::string price_text(double price, std::string_view currency, bool free) {
    if (free || price <= 0) return "Free";
    char amount[32];
    std::snprintf(amount, sizeof amount, "%.2f", price);
    if (currency == "USD") return std::string("$") + amount;
    return std::string(amount) + " " + std::string(currency);
}

std::string category_name(std::string_view slug) {
    std::string out;
    for (char c : slug) out += c == '-' ? ' ' : c;
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
        out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

std::string with_thousands(std::int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

nlohmann::json present(const App& app) {
    const Descriptors& d = app.descriptors;
    nlohmann::json out = {
        {"slug", app.slug},
        {"url", "/app/" + app.slug + "/"},
        {"title", app.title},
        {"developer", app.developer},
        {"platform", app.platform},
        {"platform_name", app.platform == "ios" ? "iPhone & iPad" : "Android"},
        {"store_id", app.store_id},
        {"store_url", app.store_url},
        {"icon_url", app.icon_url},
        {"screenshot_urls", app.screenshot_urls},
        {"price", app.price},
        {"currency", app.currency},
        {"free", app.free},
        {"price_text", price_text(app.price, app.currency, app.free)},
        {"category", app.category},
        {"category_name", category_name(app.category)},
        {"genres", app.genres},
        {"content_rating", app.content_rating},
        {"age_band", app.age_band},
        {"age_label", app.age_band.empty() ? "Not rated" : "Ages " + app.age_band},
        {"descriptors",
         {{"ads", d.ads},
          {"in_app_purchases", d.in_app_purchases},
          {"violence", d.violence},
          {"data_collection", d.data_collection},
          {"chat", d.chat}}},
        {"rating", std::round(app.rating * 10) / 10},
        {"rating_count", app.rating_count},
        {"rating_count_text", with_thousands(app.rating_count)},
        {"installs", app.installs},
        {"installs_text", with_thousands(app.installs)},
        {"size_bytes", app.size_bytes ? nlohmann::json(*app.size_bytes) : nlohmann::json()},
        {"last_updated", app.last_updated},
        {"version", app.version},
        {"review", {{"cool", app.review_cool}, {"drool", app.review_drool}}},
        {"approved", app.approved},
    };
    return out;
}

}  // namespace famigo::apps::catalog
