// Template inheritance and inclusion nodes: {% extends %}, {% block %} and
// {% include %}. Exposed so that Template and the engine can find a
// template's blocks and its extends node.
#pragma once

#include <string>

#include "web/template/expression.hpp"
#include "web/template/node.hpp"

namespace famigo::web::tmpl {

class BlockNode final : public Node {
  public:
    std::string name;
    NodeList body;
    void render(Context& ctx, std::string& out) const override;
};

}  // namespace famigo::web::tmpl
