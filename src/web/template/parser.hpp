// Turns tokens into a node tree, the way Django's Parser does: text and
// {{ }} become nodes directly, {% %} dispatches to the tag compiler registered
// under the tag's first word. Tag compilers use parse({"endfoo"}) to read
// their body and next_token() to consume the end tag. Errors carry the
// template name, line and token.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "web/template/expression.hpp"
#include "web/template/lexer.hpp"
#include "web/template/node.hpp"

namespace famigo::web::tmpl {

class Engine;
class Library;
class Template;
class BlockNode;

class Parser {
  public:
    Parser(const Engine& engine, Template& tmpl, std::vector<Token> tokens);

    // Parses until a block tag whose first word is in `until` (left unread) or
    // the end of input; reaching the end with a non-empty `until` is an
    // "unclosed tag" error naming the tag that opened the body.
    NodeList parse(std::initializer_list<std::string_view> until = {});
    const Token& next_token();
    bool at_end() const { return pos_ >= tokens_.size(); }
    // Skips tokens up to and including the block tag whose contents equal end_tag.
    void skip_past(std::string_view end_tag);

    FilterExpression compile_filter(std::string_view text) const;
    [[noreturn]] void fail(const Token& at, const std::string& message) const;

    const Engine& engine() const { return engine_; }
    const Library& library() const;
    Template& current_template() { return tmpl_; }

    // State Django keeps on its parser for particular tags.
    std::unordered_map<std::string, const Node*> named_cycles;
    std::vector<std::string> block_names;  // for duplicate detection
    bool seen_nontext = false;             // extends must come first
    bool seen_extends = false;

    static constexpr int kMaxNesting = 128;

  private:
    NodeList parse_impl(std::initializer_list<std::string_view> until);
    void add(NodeList& list, std::unique_ptr<Node> node, const Token& t);

    const Engine& engine_;
    Template& tmpl_;
    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
    std::vector<const Token*> open_tags_;
    int depth_ = 0;
};

// Django's token_kwargs: consumes "a=x b=y" (or, with support_legacy,
// "x as a and y as b") from the front of bits.
std::vector<std::pair<std::string, FilterExpression>> token_kwargs(std::vector<std::string>& bits,
                                                                   Parser& p, bool support_legacy);

}  // namespace famigo::web::tmpl
