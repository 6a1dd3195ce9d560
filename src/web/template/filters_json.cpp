// Filters that write JavaScript and JSON: escapejs, and json_script (Django's
// JSON encoder output, escaped for a <script> element).
#include <nlohmann/json.hpp>

#include "core/encoding.hpp"
#include "web/template/filter_util.hpp"
#include "web/template/text.hpp"

namespace famigo::web::tmpl {

using namespace filters;

namespace {

void append_u4(std::string& out, unsigned v, bool upper) {
    out += "\\u";
    encoding::append_hex_number(out, v, 4,
                                upper ? encoding::HexCase::upper : encoding::HexCase::lower);
}

std::string escapejs(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t start = i;
        char32_t c = text::next_cp(s, i);
        if (c < 32 || c == '\\' || c == '\'' || c == '"' || c == '>' || c == '<' || c == '&' ||
            c == '=' || c == '-' || c == ';' || c == '`' || c == 0x2028 || c == 0x2029)
            append_u4(out, unsigned(c), true);
        else
            out.append(s.substr(start, i - start));
    }
    return out;
}

void json_string(std::string& out, std::string_view s) {
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = text::next_cp(s, i);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '<':
                out += "\\u003C";
                break;
            case '>':
                out += "\\u003E";
                break;
            case '&':
                out += "\\u0026";
                break;
            default:
                if (c < 0x20 || c >= 0x7F) {
                    if (c >= 0x10000) {
                        char32_t v = c - 0x10000;
                        append_u4(out, unsigned(0xD800 + (v >> 10)), false);
                        append_u4(out, unsigned(0xDC00 + (v & 0x3FF)), false);
                    } else {
                        append_u4(out, unsigned(c), false);
                    }
                } else {
                    out += char(c);
                }
        }
    }
    out += '"';
}

// Python's json.dumps (default separators, ensure_ascii) with <, > and &
// escaped as json_script does.
void json_dump(std::string& out, const Value& v, int depth) {
    if (depth > 200) python_error("maximum recursion depth exceeded while encoding a JSON object");
    using K = Value::Kind;
    switch (v.kind()) {
        case K::missing:
        case K::none:
            out += "null";
            return;
        case K::boolean:
            out += v.as_bool() ? "true" : "false";
            return;
        case K::integer:
            out += std::to_string(v.as_int());
            return;
        case K::real: {
            double d = v.as_real();
            if (std::isnan(d))
                out += "NaN";
            else if (std::isinf(d))
                out += d < 0 ? "-Infinity" : "Infinity";
            else
                append_float_repr(out, d);
            return;
        }
        case K::string:
            json_string(out, v.as_string());
            return;
        case K::dict: {
            out += '{';
            bool first = true;
            const Json& j = v.as_json();
            for (auto it = j.begin(); it != j.end(); ++it) {
                if (!first) out += ", ";
                first = false;
                json_string(out, it.key());
                out += ": ";
                json_dump(out, Value::from_json(it.value(), v.keep()), depth + 1);
            }
            out += '}';
            return;
        }
        case K::list:
        case K::seq:
        case K::tuple: {
            out += '[';
            bool first = true;
            v.iterate([&](const Value& e) {
                if (!first) out += ", ";
                first = false;
                json_dump(out, e, depth + 1);
                return true;
            });
            out += ']';
            return;
        }
        default:
            python_error("Object of this type is not JSON serializable");
    }
}

}  // namespace

void register_json_filters(Library& lib) {
    lib.add_filter("escapejs",
                   spec([](const Value& v, const Value*,
                           FilterEnv&) { return Value::string(escapejs(v.as_string())); },
                        kNoArg, false, true));
    lib.add_filter("json_script", spec(
                                      [](const Value& v, const Value* arg, FilterEnv&) {
                                          std::string out = "<script id=\"";
                                          if (arg->safe())
                                              out += arg->str();
                                          else
                                              text::append_escaped(out, arg->str());
                                          out += "\" type=\"application/json\">";
                                          json_dump(out, v, 0);
                                          out += "</script>";
                                          return Value::string(std::move(out), true);
                                      },
                                      kArg, true, false));
}

}  // namespace famigo::web::tmpl
