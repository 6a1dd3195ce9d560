#include "web/template/library.hpp"

#include "web/template/context.hpp"
#include "web/template/errors.hpp"
#include "web/template/expression.hpp"
#include "web/template/node.hpp"
#include "web/template/parser.hpp"

namespace famigo::web::tmpl {

void Library::add_filter(std::string name, FilterSpec spec) {
    std::lock_guard lock(mutex_);
    filters_[std::move(name)] = std::make_shared<const FilterSpec>(std::move(spec));
}

void Library::add_tag(std::string name, TagCompiler compiler) {
    std::lock_guard lock(mutex_);
    tags_[std::move(name)] = std::make_shared<const TagCompiler>(std::move(compiler));
}

std::shared_ptr<const FilterSpec> Library::filter(std::string_view name) const {
    std::lock_guard lock(mutex_);
    auto it = filters_.find(std::string(name));
    return it == filters_.end() ? nullptr : it->second;
}

std::shared_ptr<const TagCompiler> Library::tag(std::string_view name) const {
    std::lock_guard lock(mutex_);
    auto it = tags_.find(std::string(name));
    return it == tags_.end() ? nullptr : it->second;
}

namespace {

class SimpleTagNode final : public Node {
  public:
    SimpleTagNode(std::shared_ptr<const SimpleTagFn> fn, std::vector<FilterExpression> args,
                  std::vector<std::pair<std::string, FilterExpression>> kwargs, std::string target)
        : fn_(std::move(fn)),
          args_(std::move(args)),
          kwargs_(std::move(kwargs)),
          target_(std::move(target)) {}

    void render(Context& ctx, std::string& out) const override {
        std::vector<Value> args;
        args.reserve(args_.size());
        for (const auto& a : args_) args.push_back(a.resolve(ctx));
        Kwargs kwargs;
        for (const auto& [k, v] : kwargs_) kwargs.emplace_back(k, v.resolve(ctx));
        Value result = (*fn_)(args, kwargs);
        if (!target_.empty()) {
            ctx.set(target_, std::move(result));
            return;
        }
        render_value(result, ctx.autoescape, out);
    }

  private:
    std::shared_ptr<const SimpleTagFn> fn_;
    std::vector<FilterExpression> args_;
    std::vector<std::pair<std::string, FilterExpression>> kwargs_;
    std::string target_;
};

bool is_identifier(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

}  // namespace

void Library::add_simple_tag(std::string name, SimpleTagFn fn) {
    auto shared = std::make_shared<const SimpleTagFn>(std::move(fn));
    add_tag(std::move(name), [shared](Parser& p, const Token& t) -> std::unique_ptr<Node> {
        auto bits = split_contents(t);
        std::string target;
        if (bits.size() >= 3 && bits[bits.size() - 2] == "as") {
            target = bits.back();
            bits.resize(bits.size() - 2);
        }
        std::vector<FilterExpression> args;
        std::vector<std::pair<std::string, FilterExpression>> kwargs;
        for (std::size_t i = 1; i < bits.size(); ++i) {
            auto eq = bits[i].find('=');
            if (eq != std::string::npos && is_identifier(std::string_view(bits[i]).substr(0, eq))) {
                kwargs.emplace_back(bits[i].substr(0, eq),
                                    p.compile_filter(std::string_view(bits[i]).substr(eq + 1)));
            } else {
                if (!kwargs.empty())
                    p.fail(t, "positional argument after keyword arguments: '" + bits[i] + "'");
                args.push_back(p.compile_filter(bits[i]));
            }
        }
        return std::make_unique<SimpleTagNode>(shared, std::move(args), std::move(kwargs),
                                               std::move(target));
    });
}

}  // namespace famigo::web::tmpl
