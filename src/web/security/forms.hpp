// HTML forms with validation, as Django's forms in miniature: typed fields
// (char, integer, choice, boolean, email, url, slug, password, hidden), required
// or optional, Django's error messages word for word ("This field is
// required.", "Ensure this value has at most 50 characters (it has 57)."), field
// and non-field errors, and a JSON context for templates that keeps what the
// user typed so an invalid form is shown again filled in. The template engine
// escapes those values (autoescape); passwords are never sent back.
//
//   Form form({Field::text("name", "Name").max(50), Field::email("email", "E-mail"),
//              Field::integer("age", "Age").range(0, 120).optional()});
//   if (form.validate(parse_form(request, limits))) save(form.value("name"), ...);
//   context["form"] = form.context();
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "web/security/form_data.hpp"

namespace famigo::web::security {

enum class FieldKind { Char, Integer, Choice, Boolean, Email, Url, Slug, Password, Hidden };

struct Field {
    std::string name;
    std::string label;
    FieldKind kind = FieldKind::Char;
    bool required = true;
    bool strip = true;  // trim surrounding whitespace first (Django's CharField default)
    std::optional<std::size_t> min_length, max_length;         // in characters (code points)
    std::optional<std::int64_t> min_value, max_value;          // integer fields
    std::vector<std::pair<std::string, std::string>> choices;  // value, label
    std::string help_text;
    std::string initial;  // shown in an unbound form

    static Field text(std::string name, std::string label);
    static Field integer(std::string name, std::string label);
    static Field choice(std::string name, std::string label,
                        std::vector<std::pair<std::string, std::string>> choices);
    static Field boolean(std::string name, std::string label);  // optional by default
    static Field email(std::string name, std::string label);
    static Field url(std::string name, std::string label);
    static Field slug(std::string name, std::string label);
    static Field password(std::string name, std::string label);
    static Field hidden(std::string name);

    Field& optional() {
        required = false;
        return *this;
    }
    Field& min(std::size_t n) {
        min_length = n;
        return *this;
    }
    Field& max(std::size_t n) {
        max_length = n;
        return *this;
    }
    Field& range(std::int64_t lo, std::int64_t hi) {
        min_value = lo;
        max_value = hi;
        return *this;
    }
    Field& help(std::string text) {
        help_text = std::move(text);
        return *this;
    }
    Field& with_initial(std::string value) {
        initial = std::move(value);
        return *this;
    }
    Field& no_strip() {
        strip = false;
        return *this;
    }
};

class Form {
  public:
    explicit Form(std::vector<Field> fields);

    // Binds the submitted data and validates every field; true when all are valid.
    bool validate(const FormData& data);
    bool is_bound() const { return bound_; }
    bool is_valid() const;

    // Cleaned values of a valid field: text (stripped), "" when optional and empty.
    std::string_view value(std::string_view name) const;
    std::optional<std::int64_t> integer(std::string_view name) const;
    bool checked(std::string_view name) const;

    // For checks across fields ("passwords differ"): name "" is a non-field error.
    void add_error(std::string_view name, std::string message);
    const std::vector<std::string>& errors(std::string_view name) const;
    const std::vector<std::string>& non_field_errors() const { return non_field_errors_; }

    // {"fields": [{name, label, input_type, value, checked, required, help_text,
    //   errors: [..], choices: [{value, label, selected}]}], "by_name": {name: same},
    //  "non_field_errors": [..], "has_errors": bool}
    nlohmann::json context() const;

  private:
    struct State {
        std::string raw;  // as submitted, for re-rendering
        std::string cleaned;
        std::optional<std::int64_t> number;
        bool on = false;
        std::vector<std::string> errors;
    };
    const State* find(std::string_view name) const;
    void clean(const Field& field, State& state, const FormData& data) const;

    std::vector<Field> fields_;
    std::vector<State> states_;
    std::vector<std::string> non_field_errors_;
    bool bound_ = false;
};

// Validators, public for reuse by model code.
bool is_valid_email(std::string_view text);
bool is_valid_url(std::string_view text);
bool is_valid_slug(std::string_view text);

}  // namespace famigo::web::security
