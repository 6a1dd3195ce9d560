// The body of `famigo render NAME --context JSON [--dir DIR]`: renders one
// template from the given directories with a JSON object as its context.
// Exit codes: 0 rendered, 1 template error (message names file and line),
// 2 the context is not valid JSON or not a JSON object.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace famigo::web::tmpl {

int run_render(const std::string& name, const std::string& context_json,
               const std::vector<std::string>& dirs, std::ostream& out, std::ostream& err);

}  // namespace famigo::web::tmpl
