#include "cache/factory.hpp"

#include <algorithm>

#include "cache/cache_url.hpp"
#include "cache/memcached/memcached_cache.hpp"
#include "cache/memory/memory_cache.hpp"
#include "cache/page/page_options.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"

namespace famigo::cache {
namespace {

std::optional<std::string> valid_url(const config::Value& value) {
    try {
        // Building a memory cache allocates nothing up front, and a memcached
        // one only parses its servers: checking by building is cheap and exact.
        make_cache(std::get<std::string>(value), CacheSettings{});
    } catch (const famigo::Error& e) {
        return e.what();
    }
    return std::nullopt;
}

std::optional<std::string> valid_prefix(const config::Value& value) {
    try {
        validate_key(std::get<std::string>(value));
    } catch (const InvalidKey& e) {
        return e.what();
    }
    return std::nullopt;
}

std::uint64_t size_param(const CacheUrl& url, std::string_view name, std::uint64_t fallback) {
    auto it = url.params.find(name);
    if (it == url.params.end()) return fallback;
    auto n = strings::parse_size(it->second);
    if (!n || *n == 0)
        throw ConfigError("cache URL parameter " + std::string(name) + "='" + it->second +
                          "' is not a positive size");
    return *n;
}

void refuse_unknown(const CacheUrl& url, std::initializer_list<std::string_view> known) {
    for (const auto& [name, value] : url.params)
        if (std::find(known.begin(), known.end(), name) == known.end())
            throw ConfigError("cache URL parameter '" + name + "' is not known for " + url.scheme +
                              "://");
}

}  // namespace

void define_config(config::Schema& schema) {
    using config::Kind;
    schema
        .add({"cache.url", Kind::String, "memory://?max=256MiB",
              "the cache: memory://?max=SIZE (this process, LRU) or memcached://h1:11211,h2:11211 "
              "(consistent hashing over the servers)",
              valid_url})
        .add({"cache.key_prefix", Kind::String, "",
              "first part of every stored key (prefix:version:key), to share servers between sites",
              valid_prefix})
        .add({"cache.version", Kind::Integer, "1",
              "second part of every stored key; change it to orphan every stored value",
              config::not_negative})
        .add({"cache.default_ttl", Kind::DurationMs, "5m",
              "how long a value stored without a TTL lives", config::positive})
        .add({"cache.connect_timeout", Kind::DurationMs, "250ms",
              "memcached: how long a connect may take before the server counts as dead",
              config::positive})
        .add({"cache.read_timeout", Kind::DurationMs, "250ms",
              "memcached: how long an answer may take before the server counts as dead",
              config::positive})
        .add({"cache.retry_dead_after", Kind::DurationMs, "5s",
              "memcached: how long a dead server's keys are misses before it is tried again",
              config::positive})
        .add({"cache.pool_size", Kind::Integer, "32",
              "memcached: client handles (each with a connection per server) shared by all threads",
              config::positive});
    define_page_cache_config(schema);
}

CacheSettings cache_settings(const config::Config& config) {
    CacheSettings s;
    s.keys.prefix = config.str("cache.key_prefix");
    s.keys.version = config.integer("cache.version");
    s.default_ttl = std::chrono::milliseconds(config.integer("cache.default_ttl"));
    s.connect_timeout = std::chrono::milliseconds(config.integer("cache.connect_timeout"));
    s.read_timeout = std::chrono::milliseconds(config.integer("cache.read_timeout"));
    s.retry_dead_after = std::chrono::milliseconds(config.integer("cache.retry_dead_after"));
    s.pool_size = unsigned(std::min<std::int64_t>(config.integer("cache.pool_size"), 4096));
    return s;
}

std::unique_ptr<Cache> make_cache(std::string_view text, const CacheSettings& settings) {
    CacheUrl url = parse_cache_url(text);
    if (url.scheme == "memory") {
        if (!url.hosts.empty())
            throw ConfigError("cache URL '" + std::string(text) +
                              "': memory:// takes no host (memory://?max=256MiB)");
        refuse_unknown(url, {"max", "shards"});
        MemoryOptions options;
        options.max_bytes = size_param(url, "max", options.max_bytes);
        options.shards = unsigned(std::min<std::uint64_t>(size_param(url, "shards", 16), 256));
        return std::make_unique<MemoryCache>(settings.keys, settings.default_ttl, options);
    }
    if (url.scheme == "memcached") {
        if (url.hosts.empty())
            throw ConfigError("cache URL '" + std::string(text) + "': name at least one server");
        refuse_unknown(url, {});
        MemcachedOptions options;
        for (const auto& host : url.hosts) options.servers.push_back({host.name, host.port});
        options.connect_timeout = settings.connect_timeout;
        options.read_timeout = settings.read_timeout;
        options.retry_dead_after = settings.retry_dead_after;
        options.pool_size = settings.pool_size;
        return std::make_unique<MemcachedCache>(settings.keys, settings.default_ttl, options);
    }
    throw ConfigError("cache URL '" + std::string(text) + "': unknown scheme '" + url.scheme +
                      "' (memory:// or memcached://)");
}

std::unique_ptr<Cache> make_cache(const config::Config& config) {
    try {
        return make_cache(config.str("cache.url"), cache_settings(config));
    } catch (const ConfigError& e) {
        throw ConfigError("config key 'cache.url' (from " + config.origin("cache.url") +
                          "): " + e.what());
    }
}

}  // namespace famigo::cache
