// {% for %} (with reversed, unpacking, {% empty %} and the forloop variable),
// {% cycle %} and {% firstof %}.
#include "web/template/context.hpp"
#include "web/template/errors.hpp"
#include "web/template/library.hpp"
#include "web/template/parser.hpp"

namespace famigo::web::tmpl {

namespace {

class ForNode final : public Node {
  public:
    std::vector<std::string> loopvars;
    FilterExpression sequence;
    bool reversed = false;
    NodeList body, empty;

    void render(Context& ctx, std::string& out) const override {
        std::shared_ptr<const LoopState> parent;
        Value outer = ctx.lookup("forloop");
        if (outer.kind() == Value::Kind::loop)
            parent = std::static_pointer_cast<const LoopState>(outer.keep());
        FrameGuard frame(ctx);
        Value values = sequence.resolve(ctx, true);
        if (values.is_none()) values = Value::borrowed("");
        auto length = values.iter_length();
        if (!length) throw TemplateRenderError("'" + values.str() + "' is not iterable");
        if (*length == 0) {
            render_nodes(empty, ctx, out);
            return;
        }
        auto state = std::make_shared<LoopState>();
        state->length = std::int64_t(*length);
        state->parent = std::move(parent);
        ctx.set("forloop", Value::loop(state));
        auto each = [&](const Value& item) {
            ctx.step(origin, line);
            if (loopvars.size() == 1) {
                ctx.set(loopvars[0], item);
                render_nodes(body, ctx, out);
            } else {
                auto n = item.iter_length().value_or(1);
                if (n != loopvars.size()) {
                    throw TemplateRenderError("Need " + std::to_string(loopvars.size()) +
                                              " values to unpack in for loop; got " +
                                              std::to_string(n) + ". ");
                }
                FrameGuard unpack(ctx);
                std::size_t i = 0;
                item.iterate([&](const Value& part) {
                    ctx.set(loopvars[i++], part);
                    return true;
                });
                render_nodes(body, ctx, out);
            }
            ++state->counter0;
            return true;
        };
        if (!reversed) {
            values.iterate(each);
        } else {
            std::vector<Value> items;
            items.reserve(*length);
            values.iterate([&](const Value& v) {
                items.push_back(v);
                return true;
            });
            for (auto it = items.rbegin(); it != items.rend(); ++it) each(*it);
        }
    }
};

std::unique_ptr<Node> do_for(Parser& p, const Token& t) {
    auto bits = split_contents(t);
    if (bits.size() < 4)
        p.fail(t, "'for' statements should have at least four words: " + std::string(t.contents));
    auto node = std::make_unique<ForNode>();
    node->reversed = bits.back() == "reversed";
    std::size_t in_index = bits.size() - (node->reversed ? 3 : 2);
    if (bits[in_index] != "in")
        p.fail(t,
               "'for' statements should use the format 'for x in y': " + std::string(t.contents));
    // The loop variables, split on commas with optional spaces around them.
    std::string joined;
    for (std::size_t i = 1; i < in_index; ++i) joined += (i > 1 ? " " : "") + bits[i];
    std::string cur;
    auto flush = [&] {
        while (!cur.empty() && cur.back() == ' ') cur.pop_back();
        node->loopvars.push_back(cur);
        cur.clear();
    };
    for (char c : joined) {
        if (c == ',') {
            flush();
        } else if (c == ' ' && cur.empty()) {
            continue;
        } else {
            cur += c;
        }
    }
    flush();
    for (const auto& v : node->loopvars) {
        if (v.empty() || v.find_first_of(" \"'|") != std::string::npos)
            p.fail(t, "'for' tag received an invalid argument: " + std::string(t.contents));
    }
    node->sequence = p.compile_filter(bits[in_index + 1]);
    node->body = p.parse({"empty", "endfor"});
    const Token& next = p.next_token();
    if (next.contents == "empty") {
        node->empty = p.parse({"endfor"});
        p.next_token();
    }
    return node;
}

class CycleNode final : public Node {
  public:
    std::vector<FilterExpression> values;
    std::string name;
    bool silent = false;

    void render(Context& ctx, std::string& out) const override { render_as(this, ctx, out); }

    // Named references ({% cycle name %}) advance the same position.
    void render_as(const void* key, Context& ctx, std::string& out) const {
        std::size_t& pos = ctx.state->cycle_positions[key];
        Value v = values[pos % values.size()].resolve(ctx);
        ++pos;
        if (!name.empty()) ctx.set_upward(name, v);
        if (!silent) render_value(v, ctx.autoescape, out);
    }
};

class CycleRefNode final : public Node {
  public:
    explicit CycleRefNode(const CycleNode* target) : target_(target) {}
    void render(Context& ctx, std::string& out) const override {
        target_->render_as(target_, ctx, out);
    }

  private:
    const CycleNode* target_;
};

std::unique_ptr<Node> do_cycle(Parser& p, const Token& t) {
    auto args = split_contents(t);
    if (args.size() < 2) p.fail(t, "'cycle' tag requires at least two arguments");
    if (args.size() == 2) {
        if (p.named_cycles.empty())
            p.fail(t, "No named cycles in template. '" + args[1] + "' is not defined");
        auto it = p.named_cycles.find(args[1]);
        if (it == p.named_cycles.end()) p.fail(t, "Named cycle '" + args[1] + "' does not exist");
        return std::make_unique<CycleRefNode>(static_cast<const CycleNode*>(it->second));
    }
    auto node = std::make_unique<CycleNode>();
    bool as_form = false;
    if (args.size() > 4) {
        if (args[args.size() - 3] == "as") {
            if (args.back() != "silent")
                p.fail(t, "Only 'silent' flag is allowed after cycle's name, not '" + args.back() +
                              "'.");
            as_form = true;
            node->silent = true;
            args.pop_back();
        } else if (args[args.size() - 2] == "as") {
            as_form = true;
        }
    }
    std::size_t end = args.size();
    if (as_form) {
        node->name = args.back();
        end -= 2;
    }
    for (std::size_t i = 1; i < end; ++i) node->values.push_back(p.compile_filter(args[i]));
    if (as_form) p.named_cycles[node->name] = node.get();
    return node;
}

class FirstOfNode final : public Node {
  public:
    std::vector<FilterExpression> vars;
    std::string asvar;

    void render(Context& ctx, std::string& out) const override {
        std::string first;
        for (const auto& v : vars) {
            Value value = v.resolve(ctx, true);
            if (value.truthy()) {
                render_value(value, ctx.autoescape, first);
                break;
            }
        }
        if (!asvar.empty()) {
            ctx.set(asvar, Value::string(std::move(first), ctx.autoescape));
            return;
        }
        out += first;
    }
};

std::unique_ptr<Node> do_firstof(Parser& p, const Token& t) {
    auto bits = split_contents(t);
    bits.erase(bits.begin());
    auto node = std::make_unique<FirstOfNode>();
    if (bits.size() >= 2 && bits[bits.size() - 2] == "as") {
        node->asvar = bits.back();
        bits.resize(bits.size() - 2);
    }
    if (bits.empty()) p.fail(t, "'firstof' statement requires at least one argument");
    for (const auto& b : bits) node->vars.push_back(p.compile_filter(b));
    return node;
}

}  // namespace

void register_loop_tags(Library& lib) {
    lib.add_tag("for", do_for);
    lib.add_tag("cycle", do_cycle);
    lib.add_tag("firstof", do_firstof);
}

}  // namespace famigo::web::tmpl
