// {% extends %}, {% block %} (with block.super) and {% include %}. Block
// resolution follows Django: the child's blocks are pushed onto a per-render
// chain, the root template renders, and each {% block %} renders the most
// derived override, popping it while it renders so block.super finds the next.
#include "web/template/tags_inherit.hpp"

#include <algorithm>

#include "web/template/context.hpp"
#include "web/template/engine.hpp"
#include "web/template/errors.hpp"
#include "web/template/library.hpp"
#include "web/template/parser.hpp"

namespace famigo::web::tmpl {

void BlockNode::render(Context& ctx, std::string& out) const {
    FrameGuard frame(ctx);
    BlockChain* chain = ctx.state ? ctx.state->block_chain : nullptr;
    auto ref = std::make_shared<BlockRef>();
    if (!chain) {
        ref->node = this;
        ctx.set("block", Value::block(ref));
        render_nodes(body, ctx, out);
        return;
    }
    const BlockNode* popped = nullptr;
    auto it = chain->blocks.find(name);
    if (it != chain->blocks.end() && !it->second.empty()) {
        popped = it->second.back();
        it->second.pop_back();
    }
    const BlockNode* block = popped ? popped : this;
    ref->node = block;
    ref->context = &ctx;
    ctx.set("block", Value::block(ref));
    render_nodes(block->body, ctx, out);
    if (popped) chain->blocks[name].push_back(popped);
}

Value render_block_super(const BlockRef& ref) {
    if (!ref.context) {
        throw TemplateRenderError(
            "'BlockNode' object has no attribute 'context'. Did you use {{ block.super }} in a "
            "base template?");
    }
    Context& ctx = *ref.context;
    BlockChain* chain = ctx.state ? ctx.state->block_chain : nullptr;
    if (!chain) return Value::borrowed("");
    auto it = chain->blocks.find(ref.node->name);
    if (it == chain->blocks.end() || it->second.empty()) return Value::borrowed("");
    std::string out;
    ref.node->render(ctx, out);
    return Value::string(std::move(out), true);
}

namespace {

// Django's construct_relative_path: "./x" and "../x" are relative to the
// directory of the template that contains the tag.
std::string relative_name(const std::string& current, const std::string& bit, bool quoted_bit) {
    bool has_quotes =
        quoted_bit && bit.size() >= 2 && (bit[0] == '"' || bit[0] == '\'') && bit[0] == bit.back();
    std::string name = bit;
    if (quoted_bit) {
        auto b = name.find_first_not_of("'\"");
        auto e = name.find_last_not_of("'\"");
        name = b == std::string::npos ? std::string() : name.substr(b, e - b + 1);
    }
    if (name.rfind("./", 0) != 0 && name.rfind("../", 0) != 0) return bit;
    std::string cur = current;
    while (!cur.empty() && cur[0] == '/') cur.erase(0, 1);
    auto slash = cur.rfind('/');
    std::string dir = slash == std::string::npos ? "" : cur.substr(0, slash);
    std::vector<std::string> parts;
    auto push_path = [&](const std::string& path) {
        std::size_t s = 0;
        while (s <= path.size()) {
            auto e = path.find('/', s);
            std::string part = path.substr(s, e == std::string::npos ? std::string::npos : e - s);
            if (part == "..") {
                if (!parts.empty() && parts.back() != "..")
                    parts.pop_back();
                else
                    parts.push_back("..");
            } else if (!part.empty() && part != ".") {
                parts.push_back(part);
            }
            if (e == std::string::npos) break;
            s = e + 1;
        }
    };
    push_path(dir);
    push_path(name);
    std::string joined;
    for (const auto& part : parts) joined += (joined.empty() ? "" : "/") + part;
    if (!parts.empty() && parts[0] == "..") {
        throw TemplateSyntaxError("The relative path '" + bit +
                                  "' points outside the file hierarchy that template '" + current +
                                  "' is in.");
    }
    if (joined == cur) {
        throw TemplateSyntaxError("The relative path '" + bit +
                                  "' was translated to template name '" + current +
                                  "', the same template in which the tag appears.");
    }
    return has_quotes ? "\"" + joined + "\"" : joined;
}

// Counts include/extends nesting so that a template including itself ends
// in a clear error instead of a stack overflow.
class DepthGuard {
  public:
    DepthGuard(Context& ctx, const Node& at) : ctx_(ctx) {
        if (++ctx_.include_depth > ctx_.engine().options().max_include_depth) {
            --ctx_.include_depth;
            throw TemplateRenderError("includes and extends nested more than " +
                                      std::to_string(ctx_.engine().options().max_include_depth) +
                                      " deep");
        }
        ctx_.step(at.origin, at.line);
    }
    ~DepthGuard() { --ctx_.include_depth; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

  private:
    Context& ctx_;
};

std::shared_ptr<const Template> find_template(Context& ctx, const Value& v, const Template* origin,
                                              const char* tag) {
    const Engine& engine = ctx.engine();
    if (v.is_string()) {
        std::string name = relative_name(origin->name(), std::string(v.as_string()), false);
        return engine.get_template(name);
    }
    if (v.kind() == Value::Kind::list || v.kind() == Value::Kind::seq ||
        v.kind() == Value::Kind::tuple) {
        std::vector<std::string> names;
        v.iterate([&](const Value& n) {
            names.push_back(n.str());
            return true;
        });
        return engine.select_template(names);
    }
    throw TemplateRenderError(std::string("Invalid template name in '") + tag + "' tag: '" +
                              v.str() + "'");
}

class ExtendsNode final : public Node {
  public:
    FilterExpression parent_name;
    NodeList rest;  // the child's body: only its blocks ever render

    void render(Context& ctx, std::string& out) const override {
        Value name = parent_name.resolve(ctx);
        if (!name.truthy())
            throw TemplateRenderError("Invalid template name in 'extends' tag: '" + name.str() +
                                      "'");
        auto parent = find_template(ctx, name, origin, "extends");
        DepthGuard depth(ctx, *this);
        ctx.keep(parent);
        BlockChain local;
        if (!ctx.state->block_chain) ctx.state->block_chain = &local;
        BlockChain* chain = ctx.state->block_chain;
        auto add_blocks = [&](const Template& t) {
            for (const auto& [bname, node] : t.blocks()) {
                auto& list = chain->blocks[bname];
                list.insert(list.begin(), node);
            }
        };
        add_blocks(*origin);
        // A parent that does not extend anything is the root: its own blocks
        // are the last fallback.
        for (const auto& n : parent->nodes()) {
            if (n->is_text()) continue;
            if (n.get() != parent->extends_node()) add_blocks(*parent);
            break;
        }
        const Template* saved = ctx.state->template_;
        ctx.state->template_ = parent.get();
        struct Restore {
            Context& c;
            const Template* t;
            BlockChain* local;
            ~Restore() {
                c.state->template_ = t;
                if (c.state->block_chain == local) c.state->block_chain = nullptr;
            }
        } restore{ctx, saved, &local};
        render_nodes(parent->nodes(), ctx, out);
    }
};

}  // namespace

class InheritParserAccess {
  public:
    static void set_extends(Template& t, const Node* n) { t.extends_ = n; }
    static void add_block(Template& t, const BlockNode* b) { t.blocks_[b->name] = b; }
};

namespace {

std::unique_ptr<Node> do_extends(Parser& p, const Token& t) {
    auto bits = split_contents(t);
    if (bits.size() != 2) p.fail(t, "'extends' takes one argument");
    if (p.seen_nontext) p.fail(t, "{% extends %} must be the first tag in the template.");
    if (p.seen_extends) p.fail(t, "'extends' cannot appear more than once in the same template");
    p.seen_extends = true;
    auto node = std::make_unique<ExtendsNode>();
    node->parent_name = p.compile_filter(relative_name(p.current_template().name(), bits[1], true));
    node->rest = p.parse();
    InheritParserAccess::set_extends(p.current_template(), node.get());
    return node;
}

std::unique_ptr<Node> do_block(Parser& p, const Token& t) {
    auto bits = smart_split(t.contents);
    if (bits.size() != 2) p.fail(t, "'block' tag takes only one argument");
    const std::string& name = bits[1];
    if (std::find(p.block_names.begin(), p.block_names.end(), name) != p.block_names.end())
        p.fail(t, "'block' tag with name '" + name + "' appears more than once");
    p.block_names.push_back(name);
    auto node = std::make_unique<BlockNode>();
    node->name = name;
    node->body = p.parse({"endblock"});
    const Token& end = p.next_token();
    auto end_bits = smart_split(end.contents);
    if (end_bits.size() > 1 && end_bits[1] != name) {
        p.fail(end, "Invalid block tag on line " + std::to_string(end.line) +
                        ": 'endblock', expected 'endblock' or 'endblock " + name +
                        "'. Did you forget to register or load this tag?");
    }
    InheritParserAccess::add_block(p.current_template(), node.get());
    return node;
}

class IncludeNode final : public Node {
  public:
    FilterExpression template_name;
    std::vector<std::pair<std::string, FilterExpression>> extra;
    bool only = false;

    void render(Context& ctx, std::string& out) const override {
        Value name = template_name.resolve(ctx);
        auto tmpl = find_template(ctx, name, origin, "include");
        DepthGuard depth(ctx, *this);
        ctx.keep(tmpl);
        std::vector<Value> values;
        values.reserve(extra.size());
        for (const auto& [k, v] : extra) values.push_back(v.resolve(ctx));
        FrameGuard frame(ctx, only);
        for (std::size_t i = 0; i < extra.size(); ++i)
            ctx.set(extra[i].first, std::move(values[i]));
        tmpl->render_in(ctx, out);
    }
};

std::unique_ptr<Node> do_include(Parser& p, const Token& t) {
    auto bits = split_contents(t);
    if (bits.size() < 2)
        p.fail(
            t,
            "'include' tag takes at least one argument: the name of the template to be included.");
    auto node = std::make_unique<IncludeNode>();
    std::vector<std::string> rest(bits.begin() + 2, bits.end());
    bool seen_with = false, seen_only = false;
    while (!rest.empty()) {
        std::string option = rest.front();
        rest.erase(rest.begin());
        if ((option == "with" && seen_with) || (option == "only" && seen_only))
            p.fail(t, "The '" + option + "' option was specified more than once.");
        if (option == "with") {
            seen_with = true;
            node->extra = token_kwargs(rest, p, false);
            if (node->extra.empty())
                p.fail(t, "\"with\" in 'include' tag needs at least one keyword argument.");
        } else if (option == "only") {
            seen_only = true;
            node->only = true;
        } else {
            p.fail(t, "Unknown argument for 'include' tag: '" + option + "'.");
        }
    }
    node->template_name =
        p.compile_filter(relative_name(p.current_template().name(), bits[1], true));
    return node;
}

}  // namespace

void register_inherit_tags(Library& lib) {
    lib.add_tag("extends", do_extends);
    lib.add_tag("block", do_block);
    lib.add_tag("include", do_include);
}

}  // namespace famigo::web::tmpl
