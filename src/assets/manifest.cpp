#include "assets/manifest.hpp"

#include <nlohmann/json.hpp>

#include "assets/path_safety.hpp"
#include "core/error.hpp"

namespace famigo::assets {

std::string manifest_json(const Manifest& manifest) {
    // ordered_json keeps "version" first; the files come sorted from the map.
    nlohmann::ordered_json files = nlohmann::ordered_json::object();
    for (const auto& [logical, hashed] : manifest) files[logical] = hashed;
    nlohmann::ordered_json document;
    document["version"] = kManifestVersion;
    document["files"] = std::move(files);
    return document.dump(2) + "\n";
}

Manifest parse_manifest(std::string_view json, const std::string& origin) {
    auto bad = [&](const std::string& why) -> Error {
        return Error("static manifest '" + origin + "': " + why);
    };
    nlohmann::json document = nlohmann::json::parse(json, nullptr, false);
    if (document.is_discarded() || !document.is_object()) throw bad("not a JSON object");
    auto version = document.find("version");
    if (version == document.end() || !version->is_number_integer() ||
        version->get<int>() != kManifestVersion)
        throw bad("expected \"version\": " + std::to_string(kManifestVersion));
    auto files = document.find("files");
    if (files == document.end() || !files->is_object()) throw bad("expected a \"files\" object");
    Manifest manifest;
    for (const auto& [logical, hashed] : files->items()) {
        if (!hashed.is_string()) throw bad("the entry for '" + logical + "' is not a string");
        const auto& name = hashed.get_ref<const std::string&>();
        if (!is_safe_logical_name(logical) || !is_safe_logical_name(name))
            throw bad("unsafe file name in entry '" + logical + "'");
        manifest.emplace(logical, name);
    }
    return manifest;
}

}  // namespace famigo::assets
