// Configuration keys of the template engine ([templates]) and the engine
// options they produce; host hooks (url, static, fragment cache) are added by
// the code that wires the engine into the app.
#pragma once

#include "core/config.hpp"
#include "web/template/engine.hpp"

namespace famigo::web::tmpl {

void define_config(config::Schema& schema);
EngineOptions engine_options(const config::Config& config);

}  // namespace famigo::web::tmpl
