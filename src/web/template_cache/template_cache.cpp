#include "web/template_cache/template_cache.hpp"

#include <chrono>

namespace famigo::web {

TemplateFragmentCache::TemplateFragmentCache(Cache& default_cache,
                                             std::map<std::string, Cache*, std::less<>> named)
    : default_(default_cache), named_(std::move(named)) {}

cache::Cache& TemplateFragmentCache::pick(std::string_view cache_name) const {
    if (cache_name.empty() || cache_name == "default") return default_;
    auto it = named_.find(cache_name);
    if (it == named_.end() || !it->second)
        throw cache::Error("Invalid cache name specified for cache tag: '" +
                           std::string(cache_name) + "'");
    return *it->second;
}

std::optional<std::string> TemplateFragmentCache::get(std::string_view cache_name,
                                                      const std::string& key) {
    return pick(cache_name).get(key);
}

void TemplateFragmentCache::set(std::string_view cache_name, const std::string& key,
                                const std::string& value,
                                std::optional<std::int64_t> timeout_seconds) {
    using cache::Ttl;
    Ttl ttl = timeout_seconds ? Ttl(std::chrono::seconds(*timeout_seconds)) : Ttl::forever();
    pick(cache_name).set(key, value, ttl);
}

}  // namespace famigo::web
