// HTML and URL filters: escaping, safe marks, striptags, line breaks, urlize,
// URL quoting, escapejs and json_script.
#include <nlohmann/json.hpp>

#include "web/template/engine.hpp"
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

bool ascii_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

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

// ---- urlize -------------------------------------------------------------------

std::string html_unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&') {
            out += s[i];
            continue;
        }
        auto semi = s.find(';', i);
        if (semi == std::string_view::npos || semi - i > 10) {
            out += s[i];
            continue;
        }
        std::string_view ent = s.substr(i + 1, semi - i - 1);
        std::optional<char32_t> cp;
        if (ent == "amp")
            cp = '&';
        else if (ent == "lt")
            cp = '<';
        else if (ent == "gt")
            cp = '>';
        else if (ent == "quot")
            cp = '"';
        else if (ent == "apos")
            cp = '\'';
        else if (ent == "nbsp")
            cp = 0xA0;
        else if (ent.size() > 1 && ent[0] == '#') {
            bool hex = ent[1] == 'x' || ent[1] == 'X';
            std::string_view digits = ent.substr(hex ? 2 : 1);
            if (!digits.empty() && digits.size() < 8) {
                char32_t v = 0;
                bool ok = true;
                for (char c : digits) {
                    int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                            : (hex && std::isxdigit(static_cast<unsigned char>(c)))
                                ? (std::tolower(c) - 'a' + 10)
                                : -1;
                    if (d < 0) ok = false;
                    v = v * (hex ? 16 : 10) + char32_t(d < 0 ? 0 : d);
                }
                if (ok && v > 0 && v < 0x110000) cp = v;
            }
        }
        if (!cp) {
            out += s[i];
            continue;
        }
        text::append_utf8(out, *cp);
        i = semi;
    }
    return out;
}

std::string url_unquote(std::string_view s, bool plus = false) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() &&
            std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += char(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else if (plus && s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

// Django's smart_urlquote: re-quote path and fragment, re-encode the query.
std::string smart_urlquote(const std::string& url) {
    const std::string safe = "!$&'()*+,;=:/?#[]@~";
    auto unquote_quote = [&](std::string_view seg) { return url_quote(url_unquote(seg), safe); };
    std::string scheme, netloc, rest = url;
    auto colon = rest.find(':');
    if (colon != std::string::npos && colon > 0 && ascii_alpha(rest[0]) &&
        rest.find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.") >= colon) {
        scheme = rest.substr(0, colon);
        for (char& c : scheme) c = char(std::tolower(static_cast<unsigned char>(c)));
        rest = rest.substr(colon + 1);
    }
    if (rest.rfind("//", 0) == 0) {
        auto end = rest.find_first_of("/?#", 2);
        netloc = rest.substr(2, end == std::string::npos ? std::string::npos : end - 2);
        rest = end == std::string::npos ? std::string() : rest.substr(end);
    }
    std::string fragment, query;
    if (auto h = rest.find('#'); h != std::string::npos) {
        fragment = rest.substr(h + 1);
        rest = rest.substr(0, h);
    }
    if (auto q = rest.find('?'); q != std::string::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    if (!query.empty()) {
        std::string encoded;
        std::size_t start = 0;
        while (start <= query.size()) {
            auto amp = query.find('&', start);
            std::string pair =
                query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
            if (!pair.empty()) {
                auto eq = pair.find('=');
                std::string k = url_unquote(url_unquote(pair.substr(0, eq), true));
                std::string v = eq == std::string::npos
                                    ? ""
                                    : url_unquote(url_unquote(pair.substr(eq + 1), true));
                auto plus_quote = [](const std::string& x) {
                    std::string q = url_quote(x, " ");
                    for (char& c : q)
                        if (c == ' ') c = '+';
                    return q;
                };
                if (!encoded.empty()) encoded += '&';
                encoded += plus_quote(k) + "=" + plus_quote(v);
            }
            if (amp == std::string::npos) break;
            start = amp + 1;
        }
        query = encoded;
    }
    std::string path = unquote_quote(rest);
    fragment = unquote_quote(fragment);
    std::string out;
    if (!scheme.empty()) out += scheme + ":";
    if (!netloc.empty() || scheme == "http" || scheme == "https") {
        if (!path.empty() && path[0] != '/') path = "/" + path;
        out += "//" + netloc;
    }
    out += path;
    if (!query.empty()) out += "?" + query;
    if (!fragment.empty()) out += "#" + fragment;
    return out;
}

bool istarts(std::string_view s, std::string_view p) {
    if (s.size() < p.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != p[i]) return false;
    return true;
}

bool is_simple_url(std::string_view m) {  // ^https?://\[?\w
    std::size_t k;
    if (istarts(m, "http://"))
        k = 7;
    else if (istarts(m, "https://"))
        k = 8;
    else
        return false;
    if (k < m.size() && m[k] == '[') ++k;
    if (k >= m.size()) return false;
    std::size_t i = k;
    return text::is_word(text::next_cp(m, i));
}

bool is_simple_url2(std::string_view m) {  // ^www\.|^(?!http)\w[^@]+\.(com|edu|...)($|/.*)$
    if (istarts(m, "www.")) return true;
    if (istarts(m, "http") || m.empty()) return false;
    std::size_t i = 0;
    if (!text::is_word(text::next_cp(m, i))) return false;
    static const char* tlds[] = {"com", "edu", "gov", "int", "mil", "net", "org"};
    for (std::size_t p = i + 1; p < m.size(); ++p) {
        if (m[p - 1] == '@') break;  // [^@]+ cannot cross an '@'
        if (m[p] != '.') continue;
        for (const char* t : tlds) {
            if (istarts(m.substr(p + 1), t) && (p + 4 == m.size() || m[p + 4] == '/')) return true;
        }
    }
    return false;
}

bool is_email_simple(std::string_view v) {
    if (v.empty() || v.front() == '@' || v.back() == '@') return false;
    auto at = v.find('@');
    if (at == std::string_view::npos || v.find('@', at + 1) != std::string_view::npos) return false;
    std::string_view p2 = v.substr(at + 1);
    return p2.find('.') != std::string_view::npos && p2.front() != '.';
}

bool valid_ascii_domain(std::string_view d) {
    if (!d.empty() && d.back() == '.') d.remove_suffix(1);
    std::size_t start = 0;
    while (true) {
        auto dot = d.find('.', start);
        auto len = (dot == std::string_view::npos ? d.size() : dot) - start;
        if (len == 0 || len > 63) return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

void trim_punctuation(std::string& lead, std::string& middle, std::string& trail) {
    bool trimmed = true;
    while (trimmed) {
        trimmed = false;
        for (auto [open, close] : {std::pair{'(', ')'}, std::pair{'[', ']'}}) {
            if (!middle.empty() && middle.front() == open) {
                middle.erase(0, 1);
                lead += open;
                trimmed = true;
            }
            if (!middle.empty() && middle.back() == close &&
                std::count(middle.begin(), middle.end(), close) ==
                    std::count(middle.begin(), middle.end(), open) + 1) {
                middle.pop_back();
                trail = std::string(1, close) + trail;
                trimmed = true;
            }
        }
        std::string unescaped = html_unescape(middle);
        std::size_t keep = unescaped.find_last_not_of(".,:;!");
        std::string stripped = keep == std::string::npos ? "" : unescaped.substr(0, keep + 1);
        if (stripped != unescaped) {
            // Cut as many characters from the escaped text as were stripped.
            std::size_t cut = unescaped.size() - stripped.size();
            trail = middle.substr(middle.size() - cut) + trail;
            middle = middle.substr(0, middle.size() - cut);
            trimmed = true;
        }
    }
}

std::string urlize(std::string_view text_in, bool safe_input, bool autoescape) {
    std::string out;
    auto is_sep = [](char32_t c) {
        return text::is_space(c) || c == '<' || c == '>' || c == '"' || c == '\'';
    };
    std::size_t i = 0;
    while (i < text_in.size()) {
        std::size_t start = i;
        std::size_t k = i;
        bool sep = is_sep(text::next_cp(text_in, k));
        while (i < text_in.size()) {
            std::size_t j = i;
            if (is_sep(text::next_cp(text_in, j)) != sep) break;
            i = j;
        }
        std::string word(text_in.substr(start, i - start));
        auto plain = [&](const std::string& w) {
            if (!safe_input && autoescape)
                text::append_escaped(out, w);
            else
                out += w;
        };
        if (sep || (word.find('.') == std::string::npos && word.find('@') == std::string::npos &&
                    word.find(':') == std::string::npos)) {
            plain(word);
            continue;
        }
        std::string lead, middle = word, trail;
        trim_punctuation(lead, middle, trail);
        std::string url;
        bool nofollow = true;
        if (is_simple_url(middle)) {
            url = smart_urlquote(html_unescape(middle));
        } else if (is_simple_url2(middle)) {
            url = smart_urlquote("http://" + html_unescape(middle));
        } else if (middle.find(':') == std::string::npos && is_email_simple(middle)) {
            auto at = middle.rfind('@');
            std::string domain = middle.substr(at + 1);
            bool ascii = std::all_of(domain.begin(), domain.end(),
                                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
            if (ascii && !valid_ascii_domain(domain)) {
                out += word;  // Django leaves a word with an invalid domain untouched
                continue;
            }
            url = "mailto:" + middle.substr(0, at) + "@" + domain;
            nofollow = false;
        }
        if (url.empty()) {
            plain(word);
            continue;
        }
        std::string trimmed = middle;
        if (autoescape && !safe_input) {
            lead = text::escape(lead);
            trail = text::escape(trail);
            trimmed = text::escape(trimmed);
        }
        out += lead + "<a href=\"" + text::escape(url) + "\"" +
               (nofollow ? " rel=\"nofollow\"" : "") + ">" + trimmed + "</a>" + trail;
    }
    return out;
}

// ---- escapejs / json_script ---------------------------------------------------------

void append_u4(std::string& out, unsigned v, bool upper) {
    static const char* lo = "0123456789abcdef";
    static const char* up = "0123456789ABCDEF";
    const char* h = upper ? up : lo;
    out += "\\u";
    for (int s = 12; s >= 0; s -= 4) out += h[(v >> s) & 15];
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
    lib.add_filter("urlize", spec(
                                 [](const Value& v, const Value*, FilterEnv& env) {
                                     return Value::string(
                                         urlize(v.as_string(), v.safe(), env.autoescape), true);
                                 },
                                 kNoArg, true, true));
    lib.add_filter("urlencode",
                   spec(
                       [](const Value& v, const Value* arg, FilterEnv&) {
                           return Value::string(url_quote(v.as_string(), arg ? arg->str() : "/"));
                       },
                       kOptArg, false, true));
    lib.add_filter("iriencode",
                   spec(
                       [](const Value& v, const Value*, FilterEnv&) {
                           return Value::string(url_quote(v.as_string(), "/#%[]=:;$&()+,!?*@'~"));
                       },
                       kNoArg, true, true));
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
