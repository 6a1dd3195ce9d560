// Connects the template engine's {% cache %} tag to cache::Cache: an adapter
// implementing web::tmpl::FragmentCache. Give it to the engine as
// EngineOptions::fragment_cache. Keys are the tag's own (Django's
// "template.cache.<name>.<md5>"), so they get the cache's prefix and version
// like any other key. The tag's timeout follows Django: None caches for ever,
// 0 or less stores nothing. `using="name"` picks a named cache; "" and
// "default" are the default one, and an unknown name is an error, as in Django.
#pragma once

#include <map>
#include <string>

#include "cache/cache.hpp"
#include "web/template/engine.hpp"

namespace famigo::web {

class TemplateFragmentCache final : public tmpl::FragmentCache {
  public:
    using Cache = cache::Cache;

    explicit TemplateFragmentCache(Cache& default_cache,
                                   std::map<std::string, Cache*, std::less<>> named = {});

    std::optional<std::string> get(std::string_view cache_name, const std::string& key) override;
    void set(std::string_view cache_name, const std::string& key, const std::string& value,
             std::optional<std::int64_t> timeout_seconds) override;

  private:
    Cache& pick(std::string_view cache_name) const;

    Cache& default_;
    std::map<std::string, Cache*, std::less<>> named_;
};

}  // namespace famigo::web
