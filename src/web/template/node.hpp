// The compiled form of a template: a tree of immutable nodes. A tag compiler
// (see library.hpp) returns a Node subclass; render() appends to one output
// string and keeps all per-call state in the Context, so one tree serves any
// number of concurrent renders.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace famigo::web::tmpl {

class Context;
class Template;

class Node {
  public:
    virtual ~Node() = default;
    virtual void render(Context& ctx, std::string& out) const = 0;
    virtual bool is_text() const { return false; }

    // Where the node came from, for error messages; set by the parser.
    const Template* origin = nullptr;
    int line = 0;
    std::string_view token;  // the tag as written, e.g. "{% for x in y %}"
};

using NodeList = std::vector<std::unique_ptr<Node>>;

// Renders each node in turn; a TemplateError that has no position yet gets
// the position of the node that raised it.
void render_nodes(const NodeList& nodes, Context& ctx, std::string& out);

class TextNode final : public Node {
  public:
    explicit TextNode(std::string_view text) : text_(text) {}
    void render(Context&, std::string& out) const override { out += text_; }
    bool is_text() const override { return true; }
    std::string_view text() const { return text_; }

  private:
    std::string_view text_;  // into the template's source, which the Template owns
};

}  // namespace famigo::web::tmpl
