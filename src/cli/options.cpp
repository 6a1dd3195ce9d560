#include "cli/options.hpp"

#include <cstdlib>

#include "cli/schema.hpp"

namespace famigo::cli {

Args::Args(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string item(argv[i]);
        // Split "--name=value" so every lookup sees "--name" "value".
        if (item.starts_with("--") && item.find('=') != std::string::npos) {
            size_t eq = item.find('=');
            items_.push_back(item.substr(0, eq));
            items_.push_back(item.substr(eq + 1));
        } else {
            items_.push_back(item);
        }
    }
    used_.assign(items_.size(), false);
}

bool Args::flag(std::string_view name) {
    bool found = false;
    for (size_t i = 0; i < items_.size(); ++i)
        if (!used_[i] && items_[i] == name) used_[i] = found = true;
    return found;
}

std::vector<std::string> Args::values(std::string_view name) {
    std::vector<std::string> out;
    for (size_t i = 0; i < items_.size(); ++i) {
        if (used_[i] || items_[i] != name) continue;
        if (i + 1 >= items_.size()) throw UsageError(std::string(name) + " needs a value");
        used_[i] = used_[i + 1] = true;
        out.push_back(items_[i + 1]);
        ++i;
    }
    return out;
}

std::optional<std::string> Args::value(std::string_view name) {
    auto all = values(name);
    if (all.empty()) return std::nullopt;
    return all.back();
}

std::vector<std::string> Args::positional() {
    std::vector<std::string> out;
    for (size_t i = 0; i < items_.size(); ++i) {
        if (used_[i] || (items_[i].starts_with("--") && items_[i].size() > 2)) continue;
        used_[i] = true;
        out.push_back(items_[i]);
    }
    return out;
}

void Args::finish() const {
    for (size_t i = 0; i < items_.size(); ++i)
        if (!used_[i]) throw UsageError("unexpected argument '" + items_[i] + "' (see --help)");
}

config::Config load_config(Args& args, char** envp, std::vector<config::Override> extra) {
    static const config::Schema schema = full_schema();
    config::Sources sources;
    if (auto path = args.value("--config")) {
        sources.file = *path;
    } else if (const char* env_path = std::getenv("FAMIGO_CONFIG"); env_path && *env_path) {
        sources.file = env_path;
    }
    sources.overrides = config::overrides_from_environment(envp);
    for (const auto& setting : args.values("--set")) {
        size_t eq = setting.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError("--set takes KEY=VALUE, got '" + setting + "'");
        sources.overrides.push_back(
            {setting.substr(0, eq), setting.substr(eq + 1), "flag --set " + setting.substr(0, eq)});
    }
    for (auto& override : extra) sources.overrides.push_back(std::move(override));
    return config::Config::load(schema, sources);
}

}  // namespace famigo::cli
