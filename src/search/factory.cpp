#include "search/factory.hpp"

#include "search/solr/solr_index.hpp"
#include "search/xapian/xapian_index.hpp"

namespace famigo::search {
namespace {

std::optional<std::string> check_url(const config::Value& value) {
    const auto& url = std::get<std::string>(value);
    if (url.starts_with("xapian://") && url.size() > 9) return std::nullopt;
    if (url.starts_with("solr://") && url.find('/', 7) != std::string::npos &&
        url.find('/', 7) + 1 < url.size())
        return std::nullopt;
    return "must be xapian://rel/path, xapian:///abs/path or solr://host:port/core";
}

}  // namespace

void define_config(config::Schema& schema) {
    using config::Kind;
    schema
        .add({"search.url", Kind::String, "xapian://var/search",
              "site search index: xapian://rel/path (from the working directory), "
              "xapian:///abs/path or solr://host:port/core",
              check_url})
        .add({"search.timeout", Kind::DurationMs, "2s", "Solr: how long one request may take",
              config::positive});
}

SearchSettings search_settings(const config::Config& config) {
    SearchSettings settings;
    settings.url = config.str("search.url");
    settings.timeout = std::chrono::milliseconds(config.integer("search.timeout"));
    return settings;
}

std::unique_ptr<Index> make_index(const SearchSettings& settings, Schema schema) {
    const std::string& url = settings.url;
    if (check_url(url)) throw ConfigError("search.url: " + *check_url(url) + ", not '" + url + "'");
    if (url.starts_with("xapian://")) return open_xapian(url.substr(9), std::move(schema));
    // solr://host:port/core -> http://host:port/solr/core
    std::size_t slash = url.find('/', 7);
    std::string base = "http://" + url.substr(7, slash - 7) + "/solr" + url.substr(slash);
    return open_solr(base, settings.timeout, std::move(schema));
}

}  // namespace famigo::search
