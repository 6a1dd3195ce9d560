#include "assets/options.hpp"

#include "core/error.hpp"

namespace famigo::assets {
namespace {

std::optional<std::string> not_empty(const config::Value& value) {
    if (std::get<std::string>(value).empty()) return "must not be empty";
    return std::nullopt;
}

std::optional<std::string> url_path(const config::Value& value) {
    const auto& text = std::get<std::string>(value);
    if (text.empty() || text.front() != '/' || text.starts_with("//"))
        return "must be a URL path starting with a single '/', such as /static/";
    if (text.find_first_of("?#\\ ") != std::string::npos)
        return "must not contain '?', '#', spaces or backslashes";
    return std::nullopt;
}

std::optional<std::string> cdn_url(const config::Value& value) {
    const auto& text = std::get<std::string>(value);
    if (text.empty()) return std::nullopt;
    if (!text.starts_with("https://") && !text.starts_with("http://") && !text.starts_with("//"))
        return "must be empty or an absolute URL such as https://cdn.example.com/static/";
    if (text.find_first_of("?#\\ ") != std::string::npos)
        return "must not contain '?', '#', spaces or backslashes";
    return std::nullopt;
}

std::string with_trailing_slash(std::string text) {
    if (!text.empty() && text.back() != '/') text += '/';
    return text;
}

}  // namespace

void define_config(config::Schema& schema) {
    using config::Kind;
    schema
        .add({"static.source", Kind::String, "static",
              "folder of the site's source assets; served directly when static.build_dir does "
              "not exist (developer mode)",
              not_empty})
        .add({"static.build_dir", Kind::String, "var/static",
              "folder collectstatic writes fingerprinted, precompressed assets and manifest.json "
              "to, and the server serves from",
              not_empty})
        .add({"static.url", Kind::String, "/static/",
              "URL path prefix under which static files are served", url_path})
        .add({"static.cdn_url", Kind::String, "",
              "when set (https://cdn.example.com/static/), URLs made for templates use this "
              "prefix instead of static.url",
              cdn_url})
        .add({"static.memory_max_file", Kind::Size, "32KiB",
              "files up to this size are cached and served from memory; larger ones with sendfile",
              config::not_negative})
        .add({"static.max_age", Kind::DurationMs, "5m",
              "Cache-Control max-age for names without a content fingerprint",
              config::not_negative});
}

AssetOptions asset_options(const config::Config& config) {
    AssetOptions options;
    options.source = config.str("static.source");
    options.build_dir = config.str("static.build_dir");
    options.url = with_trailing_slash(config.str("static.url"));
    options.cdn_url = with_trailing_slash(config.str("static.cdn_url"));
    options.memory_max_file = std::uint64_t(config.integer("static.memory_max_file"));
    options.max_age = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::milliseconds(config.integer("static.max_age")));
    return options;
}

}  // namespace famigo::assets
