#include "web/template/context.hpp"

#include <nlohmann/json.hpp>

#include "web/template/engine.hpp"
#include "web/template/errors.hpp"

namespace famigo::web::tmpl {

Context::Context(const Engine& engine, const Json* root, const Object* root_object,
                 bool autoescape_on)
    : autoescape(autoescape_on),
      engine_(engine),
      root_(root),
      root_object_(root_object),
      step_limit_(engine.options().max_render_steps) {
    vars_.reserve(16);
    frames_.reserve(8);
}

Value Context::lookup(std::string_view name) const {
    for (std::size_t i = vars_.size(); i-- > floor_;)
        if (vars_[i].name == name) return vars_[i].value;
    if (root_visible_) {
        if (root_ && root_->is_object()) {
            auto it = root_->find(name);
            if (it != root_->end()) return Value::from_json(*it);
        }
        if (root_object_) {
            if (auto v = root_object_->lookup(name)) return *v;
        }
    }
    // Django's context always has True, False and None at the bottom.
    if (name == "True") return Value::boolean(true);
    if (name == "False") return Value::boolean(false);
    if (name == "None") return Value::none();
    return Value::missing();
}

bool Context::contains(std::string_view name) const {
    return !lookup(name).is_missing();
}

void Context::push(bool barrier) {
    frames_.push_back({std::uint32_t(vars_.size()), floor_, root_visible_});
    if (barrier) {
        floor_ = std::uint32_t(vars_.size());
        root_visible_ = false;
    }
}

void Context::pop() {
    Frame f = frames_.back();
    frames_.pop_back();
    vars_.erase(vars_.begin() + f.start, vars_.end());
    floor_ = f.saved_floor;
    root_visible_ = f.saved_root_visible;
}

void Context::set(std::string_view name, Value v) {
    std::size_t start = frames_.empty() ? 0 : frames_.back().start;
    for (std::size_t i = vars_.size(); i-- > start;) {
        if (vars_[i].name == name) {
            vars_[i].value = std::move(v);
            return;
        }
    }
    vars_.push_back({name, std::move(v)});
}

void Context::set_upward(std::string_view name, Value v) {
    for (std::size_t i = vars_.size(); i-- > floor_;) {
        if (vars_[i].name == name) {
            vars_[i].value = std::move(v);
            return;
        }
    }
    set(name, std::move(v));
}

void Context::step(const Template* where, int line) {
    if (step_limit_ && ++steps_ > step_limit_) {
        throw TemplateRenderError("render exceeded the engine's limit of " +
                                      std::to_string(step_limit_) + " loop iterations and includes",
                                  where ? where->name() : std::string(), line);
    }
}

}  // namespace famigo::web::tmpl
