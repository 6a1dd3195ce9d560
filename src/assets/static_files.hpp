// The static file view: answers GET/HEAD for /static/... on the I/O thread.
// It serves collectstatic's build folder (immutable, year-long caching for
// fingerprinted names listed in manifest.json), or, when there is no build
// folder, the source folder directly for development. It implements what a
// browser and a CDN expect of a static origin: strong ETags, Last-Modified,
// 304 on If-None-Match / If-Modified-Since, 412 on If-Match /
// If-Unmodified-Since, single byte ranges (206/416, If-Range), and picking
// the precompressed .br/.gz variant by Accept-Encoding. Small files are kept in
// memory; large ones go out with sendfile. Paths are checked by the rules in
// path_safety.hpp and files are opened so that no symlink can lead out of the
// root. It also makes the URLs templates put in pages (url()).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>

#include "assets/manifest.hpp"
#include "assets/options.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace famigo::assets {

class StaticFiles {
  public:
    enum class Mode {
        Fingerprinted,  // build folder with manifest.json: fingerprinted names are immutable
        BuildOnly,      // build folder without manifest: every name gets static.max_age
        Development,    // no build folder: the source folder, checked on every request, no-cache
    };

    // Picks the mode from what exists on disk. Throws famigo::Error when
    // manifest.json exists but cannot be read or parsed.
    explicit StaticFiles(AssetOptions options);
    ~StaticFiles();
    StaticFiles(const StaticFiles&) = delete;
    StaticFiles& operator=(const StaticFiles&) = delete;

    // The view for a route such as "/static/<path:file>" (Execution::Inline).
    // Takes the logical name from the route's "file" parameter, or when there
    // is none from the path after static.url; also re-checks the raw path.
    // Unsafe or unknown names get 404. Thread-safe.
    void serve(http::Request& request, http::Response& response) const;

    // The same for a decoded logical name such as "css/site.css".
    void serve_file(std::string_view logical_name, const http::Request& request,
                    http::Response& response) const;

    // URL for templates: static.cdn_url (or static.url) + the fingerprinted
    // name from the manifest; a name the manifest does not know keeps its plain
    // name. Percent-encodes what a URL path cannot hold. Thread-safe.
    std::string url(std::string_view logical_name) const;

    Mode mode() const { return mode_; }
    const std::filesystem::path& root() const { return root_; }
    const Manifest& manifest() const { return manifest_; }

  private:
    struct Entry;
    struct Cache;

    std::shared_ptr<const Entry> find(std::string_view logical_name) const;
    std::shared_ptr<const Entry> load(const std::string& logical_name) const;
    bool still_fresh(const Entry& entry) const;

    AssetOptions options_;
    Mode mode_;
    std::filesystem::path root_;
    Manifest manifest_;
    std::unordered_set<std::string> immutable_;  // fingerprinted names from the manifest
    std::string revalidating_cache_control_;     // for names without a fingerprint
    std::unique_ptr<Cache> cache_;
};

}  // namespace famigo::assets
