#include "web/template/parser.hpp"

#include "web/template/context.hpp"
#include "web/template/engine.hpp"
#include "web/template/errors.hpp"

namespace famigo::web::tmpl {

namespace {

class VariableNode final : public Node {
  public:
    explicit VariableNode(FilterExpression fe) : fe_(std::move(fe)) {}
    void render(Context& ctx, std::string& out) const override {
        render_value(fe_.resolve(ctx), ctx.autoescape, out);
    }

  private:
    FilterExpression fe_;
};

std::string_view first_word(std::string_view s) {
    auto is_ws = [](char c) { return c == ' ' || (c >= 9 && c <= 13); };
    std::size_t i = 0;
    while (i < s.size() && is_ws(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && !is_ws(s[j])) ++j;
    return s.substr(i, j - i);
}

std::string quoted_list(std::initializer_list<std::string_view> names, const char* last_sep) {
    std::string out;
    std::size_t i = 0;
    for (auto n : names) {
        if (i > 0) out += (i + 1 == names.size()) ? last_sep : ", ";
        out.append("'").append(n).append("'");
        ++i;
    }
    return out;
}

}  // namespace

Parser::Parser(const Engine& engine, Template& tmpl, std::vector<Token> tokens)
    : engine_(engine), tmpl_(tmpl), tokens_(std::move(tokens)) {}

const Library& Parser::library() const {
    return engine_.library();
}

void Parser::fail(const Token& at, const std::string& message) const {
    throw TemplateSyntaxError(message, tmpl_.name(), at.line, std::string(at.raw));
}

FilterExpression Parser::compile_filter(std::string_view text) const {
    return FilterExpression::parse(text, library());
}

const Token& Parser::next_token() {
    if (pos_ >= tokens_.size()) {
        static const Token eof{TokenType::text, {}, {}, 0};
        return eof;
    }
    return tokens_[pos_++];
}

void Parser::skip_past(std::string_view end_tag) {
    while (pos_ < tokens_.size()) {
        const Token& t = tokens_[pos_++];
        if (t.type == TokenType::block && t.contents == end_tag) return;
    }
    const Token& opener = *open_tags_.back();
    fail(opener, "Unclosed tag '" + std::string(first_word(opener.contents)) +
                     "'. Looking for one of: " + std::string(end_tag) + ".");
}

void Parser::add(NodeList& list, std::unique_ptr<Node> node, const Token& t) {
    if (!node) return;
    if (!node->origin) {
        node->origin = &tmpl_;
        node->line = t.line;
        node->token = t.raw;
    }
    if (depth_ == 1 && !node->is_text()) seen_nontext = true;
    list.push_back(std::move(node));
}

NodeList Parser::parse(std::initializer_list<std::string_view> until) {
    if (depth_ >= kMaxNesting) {
        const Token& at = open_tags_.empty() ? tokens_.front() : *open_tags_.back();
        fail(at, "tags nested more than " + std::to_string(kMaxNesting) + " deep");
    }
    ++depth_;
    struct Leave {
        int& d;
        ~Leave() { --d; }
    } leave{depth_};
    return parse_impl(until);
}

NodeList Parser::parse_impl(std::initializer_list<std::string_view> until) {
    NodeList list;
    while (pos_ < tokens_.size()) {
        const Token& t = tokens_[pos_++];
        switch (t.type) {
            case TokenType::text:
                add(list, std::make_unique<TextNode>(t.contents), t);
                break;
            case TokenType::comment:
                break;
            case TokenType::var: {
                if (t.contents.empty())
                    fail(t, "Empty variable tag on line " + std::to_string(t.line));
                try {
                    add(list, std::make_unique<VariableNode>(compile_filter(t.contents)), t);
                } catch (TemplateError& e) {
                    if (!e.located()) e.locate(tmpl_.name(), t.line, t.raw);
                    throw;
                }
                break;
            }
            case TokenType::block: {
                if (t.contents.empty())
                    fail(t, "Empty block tag on line " + std::to_string(t.line));
                std::string_view command = first_word(t.contents);
                for (auto u : until) {
                    if (u == command) {
                        --pos_;
                        return list;
                    }
                }
                auto compiler = library().tag(command);
                if (!compiler) {
                    std::string msg = "Invalid block tag on line " + std::to_string(t.line) +
                                      ": '" + std::string(command) + "'";
                    if (until.size() > 0) msg += ", expected " + quoted_list(until, " or ");
                    fail(t, msg + ". Did you forget to register or load this tag?");
                }
                open_tags_.push_back(&t);
                std::unique_ptr<Node> node;
                try {
                    node = (*compiler)(*this, t);
                } catch (TemplateError& e) {
                    if (!e.located()) e.locate(tmpl_.name(), t.line, t.raw);
                    throw;
                }
                open_tags_.pop_back();
                add(list, std::move(node), t);
                break;
            }
        }
    }
    if (until.size() > 0) {
        const Token& opener = open_tags_.empty() ? tokens_.back() : *open_tags_.back();
        std::string names;
        for (auto u : until) names += (names.empty() ? "" : ", ") + std::string(u);
        fail(opener, "Unclosed tag on line " + std::to_string(opener.line) + ": '" +
                         std::string(first_word(opener.contents)) +
                         "'. Looking for one of: " + names + ".");
    }
    return list;
}

}  // namespace famigo::web::tmpl
