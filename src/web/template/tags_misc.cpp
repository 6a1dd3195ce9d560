// {% verbatim %}, {% spaceless %} and {% now %}.
#include "web/template/context.hpp"
#include "web/template/dateformat.hpp"
#include "web/template/errors.hpp"
#include "web/template/library.hpp"
#include "web/template/parser.hpp"
#include "web/template/text.hpp"

namespace famigo::web::tmpl {

namespace {

class LiteralNode final : public Node {
  public:
    explicit LiteralNode(std::string text) : text_(std::move(text)) {}
    void render(Context&, std::string& out) const override { out += text_; }

  private:
    std::string text_;
};

std::unique_ptr<Node> do_verbatim(Parser& p, const Token&) {
    // The lexer already turned everything up to the matching end tag into text.
    NodeList body = p.parse({"endverbatim"});
    p.next_token();
    std::string text;
    for (const auto& n : body)
        if (n->is_text()) text += static_cast<const TextNode&>(*n).text();
    return std::make_unique<LiteralNode>(std::move(text));
}

// Python's str.strip() followed by re.sub(r'>\s+<', '><', ...).
std::string strip_spaces_between_tags(std::string_view s) {
    std::vector<char32_t> cps = text::decode(s);
    std::size_t b = 0, e = cps.size();
    while (b < e && text::is_space(cps[b])) ++b;
    while (e > b && text::is_space(cps[e - 1])) --e;
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = b; i < e; ++i) {
        text::append_utf8(out, cps[i]);
        if (cps[i] == '>') {
            std::size_t k = i + 1;
            while (k < e && text::is_space(cps[k])) ++k;
            if (k > i + 1 && k < e && cps[k] == '<') i = k - 1;
        }
    }
    return out;
}

class SpacelessNode final : public Node {
  public:
    NodeList body;
    void render(Context& ctx, std::string& out) const override {
        std::string inner;
        render_nodes(body, ctx, inner);
        out += strip_spaces_between_tags(inner);
    }
};

std::unique_ptr<Node> do_spaceless(Parser& p, const Token&) {
    auto node = std::make_unique<SpacelessNode>();
    node->body = p.parse({"endspaceless"});
    p.next_token();
    return node;
}

class NowNode final : public Node {
  public:
    std::string format;
    std::string asvar;
    void render(Context& ctx, std::string& out) const override {
        std::string formatted = format_datetime(now_utc(), named_format(format));
        if (!asvar.empty()) {
            ctx.set(asvar, Value::string(std::move(formatted)));
            return;
        }
        out += formatted;
    }
};

std::unique_ptr<Node> do_now(Parser& p, const Token& t) {
    auto bits = split_contents(t);
    auto node = std::make_unique<NowNode>();
    if (bits.size() == 4 && bits[2] == "as") {
        node->asvar = bits[3];
    } else if (bits.size() != 2) {
        p.fail(t, "'now' statement takes one argument");
    }
    // Django drops the first and last character (the quotes) without unescaping.
    const std::string& f = bits[1];
    node->format = f.size() >= 2 ? f.substr(1, f.size() - 2) : std::string();
    return node;
}

}  // namespace

void register_misc_tags(Library& lib) {
    lib.add_tag("verbatim", do_verbatim);
    lib.add_tag("spaceless", do_spaceless);
    lib.add_tag("now", do_now);
}

}  // namespace famigo::web::tmpl
