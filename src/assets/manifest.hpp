// manifest.json: the map collectstatic writes from logical names to
// fingerprinted names, {"version":1,"files":{"css/site.css":"css/site.1a2b3c4d5e6f.css"}}.
// The static view loads it to build URLs and to know which names are immutable.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace famigo::assets {

inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr int kManifestVersion = 1;

using Manifest = std::map<std::string, std::string, std::less<>>;

// Sorted keys and a trailing newline, so equal manifests are equal bytes.
std::string manifest_json(const Manifest& manifest);

// Throws famigo::Error naming `origin` when the text is not a version-1
// manifest or names an unsafe path.
Manifest parse_manifest(std::string_view json, const std::string& origin);

}  // namespace famigo::assets
