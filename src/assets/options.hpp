// Configuration of static assets: where the sources are, where collectstatic
// writes the fingerprinted build, the URL prefix pages use (or a CDN's), and
// how the static file view caches. Keys live under [static]:
//   static.source           folder of the site's source assets ("static")
//   static.build_dir        collectstatic's output, served in production ("var/static")
//   static.url              URL path prefix of static files ("/static/")
//   static.cdn_url          when set, generated URLs use this prefix instead
//   static.memory_max_file  files up to this size are served from memory ("32KiB"; larger files go
//   out with sendfile, which measured faster than a copy from memory at 100 KB) static.max_age
//   Cache-Control max-age of non-fingerprinted names ("5m")
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/config.hpp"

namespace famigo::assets {

struct AssetOptions {
    std::filesystem::path source = "static";
    std::filesystem::path build_dir = "var/static";
    std::string url = "/static/";  // always ends with '/'
    std::string cdn_url;           // "" or an absolute URL ending with '/'
    std::uint64_t memory_max_file = 32 * 1024;
    std::chrono::seconds max_age{300};
    // How long the view trusts a cached file's metadata before it stats the
    // file again. Not a config key: tests set it to zero to see edits at once.
    std::chrono::milliseconds revalidate{1000};
};

void define_config(config::Schema& schema);
AssetOptions asset_options(const config::Config& config);

}  // namespace famigo::assets
