// Variables and filter expressions, compiled once: `user.name|default:"?"|upper`
// becomes a lookup path plus a list of (filter, argument) pairs with the
// filters already resolved. Parsing follows Django's grammar exactly,
// including its quirks (numbers, quoted literals that are safe strings,
// refusal of names starting with an underscore).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "web/template/value.hpp"

namespace famigo::web::tmpl {

class Context;
class Library;
struct FilterSpec;

// Django's Variable: a literal (number or quoted string) or a dotted lookup.
class Variable {
  public:
    // Throws TemplateSyntaxError for names starting with '_'.
    static Variable parse(std::string_view text);
    // The literal, or the lookup result; Value::missing() when a step fails.
    Value resolve(const Context& ctx) const;
    bool is_literal() const { return lookups_.empty(); }
    const Value& literal() const { return literal_; }
    const std::string& text() const { return text_; }

  private:
    std::string text_;
    Value literal_;
    std::vector<std::string> lookups_;
};

class FilterExpression {
  public:
    FilterExpression() = default;
    // Throws TemplateSyntaxError for malformed text, unknown filters and
    // wrong argument counts.
    static FilterExpression parse(std::string_view text, const Library& lib);

    // Django's FilterExpression.resolve: a missing variable becomes "" (or
    // None with ignore_failures) and still goes through the filters.
    Value resolve(Context& ctx, bool ignore_failures = false) const;
    const std::string& text() const { return text_; }
    // True for a bare quoted literal without filters (e.g. a fragment name).
    bool is_constant_string() const;
    const Value& constant() const { return constant_; }

  private:
    struct Call {
        std::shared_ptr<const FilterSpec> spec;
        std::optional<Variable> arg;
        std::string name;
    };
    std::string text_;
    std::optional<Variable> var_;  // empty when the head is a quoted literal
    Value constant_;               // the quoted literal head
    std::vector<Call> filters_;
};

// Renders a value the way {{ }} does: str() with Django's number formatting,
// escaped when autoescape is on and the value is not safe.
void render_value(const Value& v, bool autoescape, std::string& out);

}  // namespace famigo::web::tmpl
