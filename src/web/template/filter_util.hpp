// Small helpers shared by the built-in filter files (internal header).
#pragma once

#include <string>
#include <string_view>

#include "web/template/errors.hpp"
#include "web/template/library.hpp"
#include "web/template/value.hpp"

namespace famigo::web::tmpl::filters {

inline bool ascii_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

inline std::string arg_str(const Value* arg) {
    return arg ? arg->str() : std::string();
}

inline FilterSpec spec(FilterFn fn, FilterSpec::Arg arg, bool is_safe, bool string_input) {
    FilterSpec s;
    s.fn = std::move(fn);
    s.arg = arg;
    s.is_safe = is_safe;
    s.string_input = string_input;
    return s;
}

constexpr auto kNoArg = FilterSpec::Arg::none;
constexpr auto kOptArg = FilterSpec::Arg::optional;
constexpr auto kArg = FilterSpec::Arg::required;

// Django filters that let a Python exception escape make the render fail;
// famigo reports those as TemplateRenderError.
[[noreturn]] inline void python_error(const std::string& what) {
    throw TemplateRenderError(what);
}

}  // namespace famigo::web::tmpl::filters
