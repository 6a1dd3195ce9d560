// Parses `cache.url`: "memory://?max=256MiB&shards=16" or
// "memcached://h1:11211,h2:11211". Kept apart from the factory so the
// rules (default port, IPv6 brackets, unknown parameters refused) are tested
// on their own.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace famigo::cache {

struct CacheUrl {
    struct Host {
        std::string name;  // without brackets for IPv6 literals
        std::uint16_t port;
    };
    std::string scheme;  // "memory" or "memcached"
    std::vector<Host> hosts;
    std::map<std::string, std::string, std::less<>> params;  // from the query
};

// Throws famigo::ConfigError with a message that names the problem.
CacheUrl parse_cache_url(std::string_view url);

}  // namespace famigo::cache
