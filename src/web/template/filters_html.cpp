// HTML filters: escaping, safe marks, striptags, line breaks and line numbers.
// The URL filters are in filters_urlize.cpp, the JavaScript/JSON ones in
// filters_json.cpp.
#include <algorithm>

#include "web/template/filter_util.hpp"
#include "web/template/text.hpp"

namespace famigo::web::tmpl {

using namespace filters;

namespace {

std::string normalize_newlines(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r') {
            out += '\n';
            if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        } else {
            out += s[i];
        }
    }
    return out;
}

void replace_newlines_br(std::string_view s, std::string& out) {
    for (char c : s) {
        if (c == '\n')
            out += "<br>";
        else
            out += c;
    }
}

std::string linebreaks(std::string_view in, bool autoescape) {
    std::string s = normalize_newlines(in);
    std::string out;
    std::size_t start = 0;
    bool first = true;
    while (true) {
        // Paragraphs are separated by two or more newlines.
        std::size_t sep = s.find("\n\n", start);
        std::string_view para(s.data() + start,
                              (sep == std::string::npos ? s.size() : sep) - start);
        if (!first) out += "\n\n";
        first = false;
        out += "<p>";
        replace_newlines_br(autoescape ? std::string_view(text::escape(para)) : para, out);
        out += "</p>";
        if (sep == std::string::npos) break;
        start = sep;
        while (start < s.size() && s[start] == '\n') ++start;
    }
    return out;
}

// ---- striptags: an HTML tokenizer tolerant the way Python's HTMLParser is ----

// End of a start tag beginning at s[i] == '<', or npos when incomplete.
std::size_t start_tag_end(std::string_view s, std::size_t i, std::string& name) {
    std::size_t k = i + 1;
    while (k < s.size() && std::string_view("\t\n\r\f />").find(s[k]) == std::string_view::npos &&
           s[k] != '\0')
        ++k;
    name = std::string(s.substr(i + 1, k - i - 1));
    for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
    while (k < s.size()) {
        char c = s[k];
        if (c == '>') return k + 1;
        if (c == '=') {
            ++k;
            while (k < s.size() &&
                   (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r' || s[k] == '\f'))
                ++k;
            if (k < s.size() && (s[k] == '"' || s[k] == '\'')) {
                auto close = s.find(s[k], k + 1);
                if (close == std::string_view::npos) return std::string_view::npos;
                k = close + 1;
            }
            continue;
        }
        ++k;
    }
    return std::string_view::npos;
}

std::string strip_once(std::string_view s) {
    std::string out;
    std::string cdata;  // inside <script> or <style>
    std::size_t i = 0, n = s.size();
    while (i < n) {
        if (!cdata.empty()) {
            std::size_t j = i;
            bool found = false;
            for (; j + 1 + cdata.size() < n + 1; ++j) {
                if (s[j] == '<' && j + 1 < n && s[j + 1] == '/') {
                    std::string cand(s.substr(j + 2, cdata.size()));
                    for (char& c : cand) c = char(std::tolower(static_cast<unsigned char>(c)));
                    if (cand == cdata) {
                        found = true;
                        break;
                    }
                }
            }
            if (!found) return out;  // unterminated script/style: the rest is dropped
            out.append(s.substr(i, j - i));
            i = j;
            cdata.clear();
        }
        std::size_t j = s.find_first_of("<&", i);
        if (j == std::string_view::npos) j = n;
        out.append(s.substr(i, j - i));
        i = j;
        if (i >= n) break;
        std::size_t k = std::string_view::npos;
        if (s[i] == '<') {
            if (i + 1 < n && ascii_alpha(s[i + 1])) {
                std::string name;
                k = start_tag_end(s, i, name);
                if (k != std::string_view::npos && (name == "script" || name == "style"))
                    cdata = name;
            } else if (s.substr(i, 2) == "</") {
                auto gt = s.find('>', i + 1);
                k = gt == std::string_view::npos ? gt : gt + 1;
            } else if (s.substr(i, 4) == "<!--") {
                auto e = s.find("-->", i + 4);
                k = e == std::string_view::npos ? e : e + 3;
            } else if (s.substr(i, 2) == "<?" || s.substr(i, 2) == "<!") {
                auto gt = s.find('>', i + 2);
                k = gt == std::string_view::npos ? gt : gt + 1;
            } else if (i + 1 < n) {
                out += '<';
                k = i + 1;
            }
            if (k == std::string_view::npos) {
                // Incomplete construct at the end of input: Python keeps it as text.
                auto gt = s.find('>', i + 1);
                if (gt != std::string_view::npos) {
                    k = gt + 1;
                } else {
                    auto lt = s.find('<', i + 1);
                    k = lt != std::string_view::npos ? lt : i + 1;
                }
                out.append(s.substr(i, k - i));
            }
            i = k;
            continue;
        }
        // '&': character and entity references are re-emitted with a ';'.
        std::size_t e = i + 1;
        bool charref = e < n && s[e] == '#';
        if (charref) {
            ++e;
            bool hex = e < n && (s[e] == 'x' || s[e] == 'X');
            std::size_t d = hex ? e + 1 : e;
            std::size_t m = d;
            while (m < n && (hex ? std::isxdigit(static_cast<unsigned char>(s[m]))
                                 : std::isdigit(static_cast<unsigned char>(s[m]))))
                ++m;
            if (m > d && m < n && !std::isxdigit(static_cast<unsigned char>(s[m]))) {
                out += "&#";
                out.append(s.substr(i + 2, m - i - 2));
                out += ';';
                i = s[m] == ';' ? m + 1 : m;
                continue;
            }
        } else if (e < n && ascii_alpha(s[e])) {
            std::size_t m = e + 1;
            while (m < n &&
                   (std::isalnum(static_cast<unsigned char>(s[m])) || s[m] == '-' || s[m] == '.'))
                ++m;
            if (m < n && !std::isalnum(static_cast<unsigned char>(s[m]))) {
                out += '&';
                out.append(s.substr(e, m - e));
                out += ';';
                i = s[m] == ';' ? m + 1 : m;
                continue;
            }
        }
        if (e < n && (ascii_alpha(s[e]) || s[e] == '#')) {
            out.append(s.substr(i));  // an incomplete reference ends parsing
            return out;
        }
        out += '&';
        i += 1;
    }
    return out;
}

std::string strip_tags(std::string_view in) {
    std::string value(in);
    while (value.find('<') != std::string::npos && value.find('>') != std::string::npos) {
        std::string next = strip_once(value);
        if (std::count(value.begin(), value.end(), '<') ==
            std::count(next.begin(), next.end(), '<'))
            break;
        value = std::move(next);
    }
    return value;
}

}  // namespace

void register_html_filters(Library& lib) {
    lib.add_filter("escape", spec(
                                 [](const Value& v, const Value*, FilterEnv&) {
                                     if (v.safe()) return v;
                                     return Value::string(text::escape(v.as_string()), true);
                                 },
                                 kNoArg, true, true));
    lib.add_filter("force_escape",
                   spec([](const Value& v, const Value*,
                           FilterEnv&) { return Value::string(text::escape(v.as_string()), true); },
                        kNoArg, true, true));
    lib.add_filter("safe", spec(
                               [](const Value& v, const Value*, FilterEnv&) {
                                   Value r = v;
                                   return r.mark_safe();
                               },
                               kNoArg, true, true));
    lib.add_filter("safeseq", spec(
                                  [](const Value& v, const Value*, FilterEnv&) {
                                      std::vector<Value> items;
                                      if (!v.iterate([&](const Value& e) {
                                              Value s = e;
                                              items.push_back(s.mark_safe());
                                              return true;
                                          }))
                                          python_error("'" + v.str() + "' object is not iterable");
                                      return Value::sequence(std::move(items));
                                  },
                                  kNoArg, true, false));
    lib.add_filter("striptags",
                   spec([](const Value& v, const Value*,
                           FilterEnv&) { return Value::string(strip_tags(v.as_string())); },
                        kNoArg, true, true));
    lib.add_filter("linebreaks", spec(
                                     [](const Value& v, const Value*, FilterEnv& env) {
                                         return Value::string(
                                             linebreaks(v.as_string(), env.autoescape && !v.safe()),
                                             true);
                                     },
                                     kNoArg, true, true));
    lib.add_filter("linebreaksbr", spec(
                                       [](const Value& v, const Value*, FilterEnv& env) {
                                           std::string s = normalize_newlines(v.as_string());
                                           if (env.autoescape && !v.safe()) s = text::escape(s);
                                           std::string out;
                                           replace_newlines_br(s, out);
                                           return Value::string(std::move(out), true);
                                       },
                                       kNoArg, true, true));
    lib.add_filter(
        "linenumbers",
        spec(
            [](const Value& v, const Value*, FilterEnv& env) {
                std::string_view s = v.as_string();
                std::size_t lines = std::size_t(std::count(s.begin(), s.end(), '\n')) + 1;
                std::size_t width = std::to_string(lines).size();
                std::string out;
                std::size_t start = 0;
                for (std::size_t n = 1; n <= lines; ++n) {
                    auto nl = s.find('\n', start);
                    std::string_view line =
                        s.substr(start, nl == std::string_view::npos ? nl : nl - start);
                    std::string num = std::to_string(n);
                    if (n > 1) out += '\n';
                    out +=
                        std::string(width > num.size() ? width - num.size() : 0, '0') + num + ". ";
                    if (env.autoescape && !v.safe())
                        text::append_escaped(out, line);
                    else
                        out += line;
                    start = nl + 1;
                }
                return Value::string(std::move(out), true);
            },
            kNoArg, true, true));
}

}  // namespace famigo::web::tmpl
