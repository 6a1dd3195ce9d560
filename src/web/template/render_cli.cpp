#include "web/template/render_cli.hpp"

#include <nlohmann/json.hpp>

#include "web/template/engine.hpp"

namespace famigo::web::tmpl {

int run_render(const std::string& name, const std::string& context_json,
               const std::vector<std::string>& dirs, std::ostream& out, std::ostream& err) {
    Json context;
    try {
        context = context_json.empty() ? Json::object() : Json::parse(context_json);
    } catch (const Json::parse_error& e) {
        err << "famigo render: --context is not valid JSON: " << e.what() << "\n";
        return 2;
    }
    if (!context.is_object()) {
        err << "famigo render: --context must be a JSON object, got " << context.type_name()
            << "\n";
        return 2;
    }
    EngineOptions options;
    for (const auto& d : dirs) options.dirs.emplace_back(d);
    if (options.dirs.empty()) options.dirs.emplace_back(".");
    try {
        Engine engine(std::move(options));
        out << engine.render(name, context);
        return 0;
    } catch (const TemplateError& e) {
        err << "famigo render: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace famigo::web::tmpl
