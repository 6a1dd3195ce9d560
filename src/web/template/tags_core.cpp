// {% if %} with Django's operator precedence ("smart if"), {% with %},
// {% comment %}, {% autoescape %} and {% load %}.
#include <algorithm>
#include <optional>

#include "web/template/context.hpp"
#include "web/template/errors.hpp"
#include "web/template/library.hpp"
#include "web/template/parser.hpp"

namespace famigo::web::tmpl {

namespace {

// ---- if expressions ---------------------------------------------------------

enum class Op { literal, or_, and_, not_, in, not_in, is, is_not, eq, ne, gt, ge, lt, le, end };

int binding_power(Op op) {
    switch (op) {
        case Op::or_:
            return 6;
        case Op::and_:
            return 7;
        case Op::not_:
            return 8;
        case Op::in:
        case Op::not_in:
            return 9;
        case Op::is:
        case Op::is_not:
        case Op::eq:
        case Op::ne:
        case Op::gt:
        case Op::ge:
        case Op::lt:
        case Op::le:
            return 10;
        default:
            return 0;
    }
}

struct Cond {
    Op op = Op::literal;
    FilterExpression value;
    std::unique_ptr<Cond> a, b;

    Value eval(Context& ctx) const;
};

// Python's `is` for the values a template can produce: None, True and False
// are singletons and small integers are cached.
bool py_is(const Value& x, const Value& y) {
    if (x.is_none() && y.is_none()) return true;
    if (x.kind() == Value::Kind::boolean && y.kind() == Value::Kind::boolean)
        return x.as_bool() == y.as_bool();
    if (x.kind() == Value::Kind::integer && y.kind() == Value::Kind::integer)
        return x.as_int() == y.as_int() && x.as_int() >= -5 && x.as_int() <= 256;
    return false;
}

Value Cond::eval(Context& ctx) const {
    if (op == Op::literal) return value.resolve(ctx, true);
    // Django evaluates operators with any exception meaning False.
    try {
        switch (op) {
            case Op::or_: {
                Value x = a->eval(ctx);
                return x.truthy() ? x : b->eval(ctx);
            }
            case Op::and_: {
                Value x = a->eval(ctx);
                return x.truthy() ? b->eval(ctx) : x;
            }
            case Op::not_:
                return Value::boolean(!a->eval(ctx).truthy());
            default:
                break;
        }
        Value x = a->eval(ctx);
        Value y = b->eval(ctx);
        switch (op) {
            case Op::in:
                return Value::boolean(py_contains(y, x).value_or(false));
            case Op::not_in: {
                auto r = py_contains(y, x);
                return Value::boolean(r ? !*r : false);
            }
            case Op::is:
                return Value::boolean(py_is(x, y));
            case Op::is_not:
                return Value::boolean(!py_is(x, y));
            case Op::eq:
                return Value::boolean(py_equal(x, y));
            case Op::ne:
                return Value::boolean(!py_equal(x, y));
            default:
                break;
        }
        auto c = py_compare(x, y);
        if (!c) return Value::boolean(false);
        switch (op) {
            case Op::gt:
                return Value::boolean(*c > 0);
            case Op::ge:
                return Value::boolean(*c >= 0);
            case Op::lt:
                return Value::boolean(*c < 0);
            case Op::le:
                return Value::boolean(*c <= 0);
            default:
                return Value::boolean(false);
        }
    } catch (const TemplateError&) {
        return Value::boolean(false);
    }
}

class CondParser {
  public:
    CondParser(Parser& p, std::vector<std::string> bits) : parser_(p) {
        for (std::size_t i = 0; i < bits.size(); ++i) {
            const std::string& b = bits[i];
            Item item;
            item.text = b;
            if (b == "is" && i + 1 < bits.size() && bits[i + 1] == "not") {
                item.op = Op::is_not;
                item.text = "is not";
                ++i;
            } else if (b == "not" && i + 1 < bits.size() && bits[i + 1] == "in") {
                item.op = Op::not_in;
                item.text = "not in";
                ++i;
            } else {
                item.op = op_of(b);
            }
            items_.push_back(std::move(item));
        }
    }

    std::unique_ptr<Cond> parse() {
        auto c = expression(0);
        if (pos_ < items_.size())
            syntax("Unused '" + items_[pos_].text + "' at end of if expression.");
        return c;
    }

  private:
    struct Item {
        Op op;
        std::string text;
    };

    static Op op_of(const std::string& s) {
        if (s == "or") return Op::or_;
        if (s == "and") return Op::and_;
        if (s == "not") return Op::not_;
        if (s == "in") return Op::in;
        if (s == "is") return Op::is;
        if (s == "==") return Op::eq;
        if (s == "!=") return Op::ne;
        if (s == ">") return Op::gt;
        if (s == ">=") return Op::ge;
        if (s == "<") return Op::lt;
        if (s == "<=") return Op::le;
        return Op::literal;
    }

    [[noreturn]] static void syntax(std::string msg) { throw TemplateSyntaxError(std::move(msg)); }

    Op current() const { return pos_ < items_.size() ? items_[pos_].op : Op::end; }

    std::unique_ptr<Cond> expression(int rbp) {
        if (++depth_ > 200) syntax("if expression nested too deeply");
        if (pos_ >= items_.size()) syntax("Unexpected end of expression in if tag.");
        const Item& t = items_[pos_++];
        auto left = std::make_unique<Cond>();
        if (t.op == Op::literal) {
            left->value = parser_.compile_filter(t.text);
        } else if (t.op == Op::not_) {
            left->op = Op::not_;
            left->a = expression(binding_power(Op::not_));
        } else {
            syntax("Not expecting '" + t.text + "' in this position in if tag.");
        }
        while (rbp < binding_power(current())) {
            const Item& op = items_[pos_++];
            if (op.op == Op::not_) syntax("Not expecting 'not' as infix operator in if tag.");
            auto node = std::make_unique<Cond>();
            node->op = op.op;
            node->a = std::move(left);
            node->b = expression(binding_power(op.op));
            left = std::move(node);
        }
        --depth_;
        return left;
    }

    Parser& parser_;
    std::vector<Item> items_;
    std::size_t pos_ = 0;
    int depth_ = 0;
};

class IfNode final : public Node {
  public:
    std::vector<std::pair<std::unique_ptr<Cond>, NodeList>> branches;  // null condition: else

    void render(Context& ctx, std::string& out) const override {
        for (const auto& [cond, body] : branches) {
            bool match = true;
            if (cond) {
                try {
                    match = cond->eval(ctx).truthy();
                } catch (const VariableDoesNotExist&) {
                    match = false;
                }
            }
            if (match) {
                render_nodes(body, ctx, out);
                return;
            }
        }
    }
};

std::unique_ptr<Node> do_if(Parser& p, const Token& t) {
    auto node = std::make_unique<IfNode>();
    auto bits = split_contents(t);
    bits.erase(bits.begin());
    auto cond = CondParser(p, std::move(bits)).parse();
    NodeList body = p.parse({"elif", "else", "endif"});
    node->branches.emplace_back(std::move(cond), std::move(body));
    const Token* next = &p.next_token();
    while (next->contents.substr(0, 4) == "elif") {
        auto elif_bits = split_contents(*next);
        elif_bits.erase(elif_bits.begin());
        const Token& at = *next;
        std::unique_ptr<Cond> c;
        try {
            c = CondParser(p, std::move(elif_bits)).parse();
        } catch (TemplateError& e) {
            if (!e.located()) p.fail(at, e.message());
            throw;
        }
        NodeList b = p.parse({"elif", "else", "endif"});
        node->branches.emplace_back(std::move(c), std::move(b));
        next = &p.next_token();
    }
    if (next->contents == "else") {
        NodeList b = p.parse({"endif"});
        node->branches.emplace_back(nullptr, std::move(b));
        next = &p.next_token();
    }
    if (next->contents != "endif") {
        p.fail(*next, "Malformed template tag at line " + std::to_string(next->line) + ": '" +
                          std::string(next->contents) + "'");
    }
    return node;
}

// ---- with -------------------------------------------------------------------

bool is_word_chars(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
              static_cast<unsigned char>(c) >= 0x80))
            return false;
    return true;
}

// Django's kwarg_re "(?:(\w+)=)?(.+)": the key of "key=value", if any.
std::optional<std::size_t> kwarg_eq(const std::string& bit) {
    auto eq = bit.find('=');
    if (eq == std::string::npos || eq + 1 >= bit.size()) return std::nullopt;
    if (!is_word_chars(std::string_view(bit).substr(0, eq))) return std::nullopt;
    return eq;
}

}  // namespace

// Django's token_kwargs: consumes "a=x b=y" (or legacy "x as a and y as b")
// from the front of bits.
std::vector<std::pair<std::string, FilterExpression>> token_kwargs(std::vector<std::string>& bits,
                                                                   Parser& p, bool support_legacy) {
    std::vector<std::pair<std::string, FilterExpression>> out;
    if (bits.empty()) return out;
    bool kw_format = kwarg_eq(bits[0]).has_value();
    if (!kw_format) {
        if (!support_legacy || bits.size() < 3 || bits[1] != "as") return out;
    }
    while (!bits.empty()) {
        std::string key, value;
        if (kw_format) {
            auto eq = kwarg_eq(bits[0]);
            if (!eq) return out;
            key = bits[0].substr(0, *eq);
            value = bits[0].substr(*eq + 1);
            bits.erase(bits.begin());
        } else {
            if (bits.size() < 3 || bits[1] != "as") return out;
            key = bits[2];
            value = bits[0];
            bits.erase(bits.begin(), bits.begin() + 3);
        }
        auto fe = p.compile_filter(value);
        // Keys in `out` are unique: a repeated key's later value wins.
        auto same_key = std::find_if(out.begin(), out.end(),
                                     [&](const auto& entry) { return entry.first == key; });
        if (same_key != out.end())
            same_key->second = std::move(fe);
        else
            out.emplace_back(std::move(key), std::move(fe));
        if (!bits.empty() && !kw_format) {
            if (bits[0] != "and") return out;
            bits.erase(bits.begin());
        }
    }
    return out;
}

namespace {

class WithNode final : public Node {
  public:
    std::vector<std::pair<std::string, FilterExpression>> vars;
    NodeList body;

    void render(Context& ctx, std::string& out) const override {
        // Values are computed in the outer scope before any is bound.
        Value values[8];
        std::vector<Value> more;
        for (std::size_t i = 0; i < vars.size(); ++i) {
            Value v = vars[i].second.resolve(ctx);
            if (i < 8)
                values[i] = std::move(v);
            else
                more.push_back(std::move(v));
        }
        FrameGuard frame(ctx);
        for (std::size_t i = 0; i < vars.size(); ++i)
            ctx.set(vars[i].first, i < 8 ? std::move(values[i]) : std::move(more[i - 8]));
        render_nodes(body, ctx, out);
    }
};

std::unique_ptr<Node> do_with(Parser& p, const Token& t) {
    auto bits = split_contents(t);
    std::vector<std::string> rest(bits.begin() + 1, bits.end());
    auto node = std::make_unique<WithNode>();
    node->vars = token_kwargs(rest, p, true);
    if (node->vars.empty()) p.fail(t, "'with' expected at least one variable assignment");
    if (!rest.empty()) p.fail(t, "'with' received an invalid token: '" + rest[0] + "'");
    node->body = p.parse({"endwith"});
    p.next_token();
    return node;
}

// ---- comment, autoescape, load -------------------------------------------------

class NothingNode final : public Node {
  public:
    void render(Context&, std::string&) const override {}
};

class AutoescapeNode final : public Node {
  public:
    bool on = true;
    NodeList body;
    void render(Context& ctx, std::string& out) const override {
        bool saved = ctx.autoescape;
        ctx.autoescape = on;
        struct Restore {
            Context& c;
            bool v;
            ~Restore() { c.autoescape = v; }
        } restore{ctx, saved};
        render_nodes(body, ctx, out);
    }
};

std::unique_ptr<Node> do_autoescape(Parser& p, const Token& t) {
    auto bits = smart_split(t.contents);
    if (bits.size() != 2) p.fail(t, "'autoescape' tag requires exactly one argument.");
    if (bits[1] != "on" && bits[1] != "off")
        p.fail(t, "'autoescape' argument should be 'on' or 'off'");
    auto node = std::make_unique<AutoescapeNode>();
    node->on = bits[1] == "on";
    node->body = p.parse({"endautoescape"});
    p.next_token();
    return node;
}

}  // namespace

void register_core_tags(Library& lib) {
    lib.add_tag("if", do_if);
    lib.add_tag("with", do_with);
    lib.add_tag("autoescape", do_autoescape);
    lib.add_tag("comment", [](Parser& p, const Token&) -> std::unique_ptr<Node> {
        p.skip_past("endcomment");
        return std::make_unique<NothingNode>();
    });
    // Libraries need no loading here: every built-in is always available.
    lib.add_tag("load", [](Parser&, const Token&) -> std::unique_ptr<Node> {
        return std::make_unique<NothingNode>();
    });
}

}  // namespace famigo::web::tmpl
