#include "web/template/config.hpp"

namespace famigo::web::tmpl {

void define_config(config::Schema& schema) {
    schema
        .add({"templates.dirs",
              config::Kind::StringList,
              "templates",
              "folders searched for templates, in order",
              {}})
        .add({"templates.debug",
              config::Kind::Boolean,
              "false",
              "recompile a template when its file changes (development)",
              {}});
}

EngineOptions engine_options(const config::Config& config) {
    EngineOptions options;
    for (const auto& dir : config.list("templates.dirs")) options.dirs.emplace_back(dir);
    options.debug = config.boolean("templates.debug");
    return options;
}

}  // namespace famigo::web::tmpl
