// The registry of filters and tags an Engine compiles against. Built-ins are
// registered by the Engine's constructor; applications add their own from C++
// before compiling templates:
//
//   engine.library().add_filter("stars", {.fn = [](const Value& v, const Value*, FilterEnv&) {
//       return Value::string(std::string(py_int(v).value_or(0), '*'));
//   }});
//   engine.library().add_simple_tag("greet", [](std::span<const Value> args, const Kwargs&) {...});
//
// Filters are resolved once at compile time: a compiled template keeps a
// pointer to its FilterSpec, so render does no name lookups.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "web/template/value.hpp"

namespace famigo::web::tmpl {

class Context;
class Node;
class Parser;
struct Token;

struct FilterEnv {
    bool autoescape;  // Django's autoescape argument for needs_autoescape filters
    Context& context;
};

// value: the input; arg: the argument, null when the template gave none.
using FilterFn = std::function<Value(const Value& value, const Value* arg, FilterEnv& env)>;

struct FilterSpec {
    enum class Arg { none, optional, required };
    FilterFn fn;
    Arg arg = Arg::none;
    // Django's is_safe: a safe input keeps its mark through this filter.
    bool is_safe = false;
    // Django's @stringfilter: the input is converted with str() first.
    bool string_input = false;
};

// A tag compiler reads its own arguments (and body, for block tags) from the
// parser and returns the node to render.
using TagCompiler = std::function<std::unique_ptr<Node>(Parser& parser, const Token& token)>;

using Kwargs = std::vector<std::pair<std::string, Value>>;
// A simple tag computes a value from resolved arguments; `{% name a b k=v %}`
// prints it (escaped under autoescape), `{% name a as var %}` stores it.
using SimpleTagFn = std::function<Value(std::span<const Value> args, const Kwargs& kwargs)>;

class Library {
  public:
    void add_filter(std::string name, FilterSpec spec);
    void add_tag(std::string name, TagCompiler compiler);
    void add_simple_tag(std::string name, SimpleTagFn fn);

    std::shared_ptr<const FilterSpec> filter(std::string_view name) const;
    std::shared_ptr<const TagCompiler> tag(std::string_view name) const;

  private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const FilterSpec>> filters_;
    std::unordered_map<std::string, std::shared_ptr<const TagCompiler>> tags_;
};

// Built-ins, split by theme across filters_*.cpp and tags_*.cpp.
void register_text_filters(Library& lib);
void register_html_filters(Library& lib);
void register_url_filters(Library& lib);
void register_json_filters(Library& lib);
void register_list_filters(Library& lib);
void register_number_filters(Library& lib);
void register_date_filters(Library& lib);
void register_core_tags(Library& lib);
void register_loop_tags(Library& lib);
void register_inherit_tags(Library& lib);
void register_misc_tags(Library& lib);
void register_web_tags(Library& lib);

}  // namespace famigo::web::tmpl
