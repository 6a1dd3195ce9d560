// Text filters: case, truncation, slugify, padding, wrapping, stringformat.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "web/template/filter_util.hpp"
#include "web/template/text.hpp"

namespace famigo::web::tmpl {

using namespace filters;

namespace {

std::string django_title(std::string_view s) {
    std::vector<char32_t> t = text::decode(text::py_title(s));
    auto lower_ascii = [](char32_t c) { return c >= 'a' && c <= 'z'; };
    auto upper_ascii = [](char32_t c) { return c >= 'A' && c <= 'Z'; };
    // Django undoes str.title() after apostrophes ("They'Re") and digits ("1St").
    std::vector<char32_t> orig = t;
    for (std::size_t i = 0; i + 2 < orig.size();) {
        if (lower_ascii(orig[i]) && orig[i + 1] == '\'' && upper_ascii(orig[i + 2])) {
            t[i + 2] = t[i + 2] + 32;
            i += 3;
        } else {
            ++i;
        }
    }
    orig = t;
    for (std::size_t i = 0; i + 1 < orig.size();) {
        if (orig[i] >= '0' && orig[i] <= '9' && upper_ascii(orig[i + 1])) {
            t[i + 1] = t[i + 1] + 32;
            i += 2;
        } else {
            ++i;
        }
    }
    return text::encode(t);
}

const std::string kEllipsis = "\xE2\x80\xA6";

std::string truncate_chars(std::string_view s, std::int64_t length) {
    std::vector<char32_t> cps = text::decode(s);
    std::int64_t truncate_len = length - 1;  // room for the ellipsis
    std::int64_t s_len = 0;
    std::optional<std::size_t> end_index;
    for (std::size_t i = 0; i < cps.size(); ++i) {
        if (text::is_combining(cps[i])) continue;
        ++s_len;
        if (!end_index && s_len > truncate_len) end_index = i;
        if (s_len > length) {
            std::string head = text::encode(cps, 0, end_index.value_or(0));
            if (head.size() >= kEllipsis.size() &&
                head.compare(head.size() - kEllipsis.size(), kEllipsis.size(), kEllipsis) == 0)
                return head;
            return head + kEllipsis;
        }
    }
    return std::string(s);
}

// Python's str.split(): the words between runs of Unicode whitespace, as views
// into `s`. Stops after `max_words` words (truncatewords only needs to know
// whether there are more than it keeps).
std::vector<std::string_view> py_split(std::string_view s,
                                       std::size_t max_words = std::size_t(-1)) {
    std::vector<std::string_view> words;
    std::size_t begin = std::string_view::npos;  // start of the current word
    for (std::size_t i = 0; i < s.size();) {
        std::size_t start = i;
        char32_t c = text::next_cp(s, i);
        if (text::is_space(c)) {
            if (begin != std::string_view::npos) {
                words.push_back(s.substr(begin, start - begin));
                begin = std::string_view::npos;
                if (words.size() >= max_words) return words;
            }
        } else if (begin == std::string_view::npos) {
            begin = start;
        }
    }
    if (begin != std::string_view::npos) words.push_back(s.substr(begin));
    return words;
}

std::string truncate_words(std::string_view s, std::int64_t length) {
    // With length >= 0 only the first length + 1 words matter: whether there
    // is one more decides the ellipsis. A negative length counts from the end.
    auto words = length >= 0 ? py_split(s, std::size_t(length) + 1) : py_split(s);
    auto n = std::int64_t(words.size());
    auto join = [&](std::int64_t count) {
        std::string out;
        for (std::int64_t i = 0; i < count; ++i) {
            if (i) out += ' ';
            out += words[std::size_t(i)];
        }
        return out;
    };
    if (n > length) {
        std::int64_t keep = length >= 0 ? length : std::max<std::int64_t>(0, n + length);
        std::string out = join(keep);
        const std::string suffix = " " + kEllipsis;
        if (out.size() >= suffix.size() &&
            out.compare(out.size() - suffix.size(), suffix.size(), suffix) == 0)
            return out;
        return out + suffix;
    }
    return join(n);
}

// NFKD followed by dropping non-ASCII, for the Latin ranges: the base letter
// of an accented character, nothing for letters without a decomposition.
std::string ascii_fold(std::string_view s) {
    static const char* latin1 = "AAAAAA?CEEEEIIII?NOOOOO??UUUUY??aaaaaa?ceeeeiiii?nooooo??uuuuy?y";
    static const char* ext_a =
        "AaAaAaCcCcCcCcDd??EeEeEeEeEeGgGgGgGgHh??IiIiIiIiI?##JjKk?LlLlLlL"
        "l??NnNnNnn??OoOoOo??RrRrRrSsSsSsSsTtTt??UuUuUuUuUuUuWwYyYZzZzZzs";
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = text::next_cp(s, i);
        if (c < 0x80) {
            out += char(c);
        } else if (c == 0xA0) {
            out += ' ';
        } else if (c == 0xAA) {
            out += 'a';
        } else if (c == 0xBA) {
            out += 'o';
        } else if (c == 0xB2 || c == 0xB3 || c == 0xB9) {
            out += c == 0xB2 ? '2' : c == 0xB3 ? '3' : '1';
        } else if (c >= 0xBC && c <= 0xBE) {
            out += c == 0xBC ? "14" : c == 0xBD ? "12" : "34";
        } else if (c == 0xA8 || c == 0xAF || c == 0xB4 || c == 0xB8) {
            out += ' ';
        } else if (c >= 0xC0 && c <= 0xFF) {
            char m = latin1[c - 0xC0];
            if (m != '?') out += m;
        } else if (c >= 0x100 && c <= 0x17F) {
            char m = ext_a[c - 0x100];
            if (m == '#')
                out += c == 0x132 ? "IJ" : "ij";
            else if (m != '?')
                out += m;
        }
    }
    return out;
}

std::string slugify(std::string_view s) {
    std::string folded = ascii_fold(s);
    std::string kept;
    for (char c : folded) {
        char l = char(std::tolower(static_cast<unsigned char>(c)));
        bool word = std::isalnum(static_cast<unsigned char>(l)) || l == '_';
        bool space = l == ' ' || (l >= 9 && l <= 13) || (l >= 0x1C && l <= 0x1F);
        if (word || space || l == '-') kept += l;
    }
    std::string out;
    for (std::size_t i = 0; i < kept.size();) {
        char c = kept[i];
        bool sep = c == '-' || c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1C && c <= 0x1F);
        if (sep) {
            while (i < kept.size() &&
                   (kept[i] == '-' || kept[i] == ' ' || (kept[i] >= 9 && kept[i] <= 13) ||
                    (kept[i] >= 0x1C && kept[i] <= 0x1F)))
                ++i;
            out += '-';
        } else {
            out += c;
            ++i;
        }
    }
    std::size_t b = out.find_first_not_of("-_");
    if (b == std::string::npos) return "";
    std::size_t e = out.find_last_not_of("-_");
    return out.substr(b, e - b + 1);
}

// Widths are capped: a template must not be able to ask for gigabytes.
constexpr std::int64_t kMaxWidth = 100000;

std::int64_t width_arg(const Value* arg) {
    auto w = py_int(*arg);
    if (!w) python_error("invalid literal for int() with base 10: '" + arg->str() + "'");
    return std::min(*w, kMaxWidth);
}

std::string pad(std::string_view s, std::int64_t width, int where) {  // -1 ljust, 0 center, 1 rjust
    auto len = std::int64_t(text::cp_count(s));
    if (width <= len) return std::string(s);
    std::int64_t marg = width - len;
    std::int64_t left = where < 0 ? 0 : where > 0 ? marg : marg / 2 + (marg & width & 1);
    return std::string(std::size_t(left), ' ') + std::string(s) +
           std::string(std::size_t(marg - left), ' ');
}

std::string wordwrap(std::string_view s, std::int64_t width) {
    // Python's str.splitlines(True) on \n-separated text, then greedy wrapping
    // at spaces as Django's utils.text.wrap.
    std::string out;
    std::size_t start = 0;
    while (start < s.size()) {
        auto nl = s.find('\n', start);
        std::size_t end = nl == std::string_view::npos ? s.size() : nl + 1;
        std::vector<char32_t> line = text::decode(s.substr(start, end - start));
        start = end;
        auto max_width_for = [&](const std::vector<char32_t>& l) {
            bool ends_nl = !l.empty() && l.back() == '\n';
            return std::min<std::int64_t>(ends_nl ? width + 1 : width, width);
        };
        std::int64_t max_width = max_width_for(line);
        while (std::int64_t(line.size()) > max_width) {
            std::int64_t limit = std::min<std::int64_t>(max_width + 1, std::int64_t(line.size()));
            if (limit < 0) limit = std::max<std::int64_t>(0, std::int64_t(line.size()) + limit);
            std::int64_t space = 0;
            for (std::int64_t k = limit - 1; k >= 0; --k)
                if (line[std::size_t(k)] == ' ') {
                    space = k + 1;
                    break;
                }
            if (space == 0) {
                auto it = std::find(line.begin(), line.end(), U' ');
                if (it == line.end()) {
                    out += text::encode(line);
                    line.clear();
                    break;
                }
                space = (it - line.begin()) + 1;
            }
            out += text::encode(line, 0, std::size_t(space - 1)) + "\n";
            line.erase(line.begin(), line.begin() + space);
            max_width = max_width_for(line);
        }
        if (!line.empty()) out += text::encode(line);
    }
    return out;
}

// Python's "%" formatting for one value, the subset stringformat needs. The
// printf formats are built from parsed, validated pieces.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
std::optional<std::string> percent_format(const std::string& fmt, const Value& v) {
    std::string out;
    int consumed = 0;
    for (std::size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] != '%') {
            out += fmt[i];
            continue;
        }
        ++i;
        std::string flags;
        while (i < fmt.size() && std::string_view("-+ #0").find(fmt[i]) != std::string_view::npos)
            flags += fmt[i++];
        std::string width, prec;
        while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i])))
            width += fmt[i++];
        bool has_prec = false;
        if (i < fmt.size() && fmt[i] == '.') {
            has_prec = true;
            ++i;
            while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i])))
                prec += fmt[i++];
        }
        if (i >= fmt.size()) return std::nullopt;
        char conv = fmt[i];
        if (conv == '%') {
            out += '%';
            continue;
        }
        if (++consumed > 1) return std::nullopt;
        if (width.size() > 5 || prec.size() > 5) return std::nullopt;
        std::string spec = std::string("%")
                               .append(flags)
                               .append(width)
                               .append(has_prec ? "." : "")
                               .append(has_prec && prec.empty() ? "0" : prec);
        char buf[512];
        std::string piece;
        switch (conv) {
            case 's':
            case 'r': {
                std::string s;
                if (conv == 's')
                    v.append_str(s);
                else
                    v.append_repr(s);
                if (has_prec) {
                    auto cps = text::decode(s);
                    s = text::encode(cps, 0, std::size_t(std::stoll(prec.empty() ? "0" : prec)));
                }
                auto w = width.empty() ? 0 : std::stoll(width);
                auto len = std::int64_t(text::cp_count(s));
                if (w > len) {
                    std::string fill(std::size_t(w - len), ' ');
                    s = flags.find('-') != std::string::npos ? s + fill : fill + s;
                }
                piece = s;
                break;
            }
            case 'd':
            case 'i':
            case 'u':
            case 'x':
            case 'X':
            case 'o': {
                if (!v.is_number()) return std::nullopt;
                if ((conv == 'x' || conv == 'X' || conv == 'o') && v.kind() == Value::Kind::real)
                    return std::nullopt;
                long long n = v.kind() == Value::Kind::real ? static_cast<long long>(v.as_real())
                                                            : static_cast<long long>(*py_int(v));
                std::string f = spec + "ll" + (conv == 'i' || conv == 'u' ? 'd' : conv);
                if (conv == 'x' || conv == 'X' || conv == 'o') {
                    bool neg = n < 0;
                    unsigned long long u = neg ? 0ULL - static_cast<unsigned long long>(n)
                                               : static_cast<unsigned long long>(n);
                    std::snprintf(buf, sizeof buf, f.c_str(), u);
                    piece = buf;
                    if (neg) piece = "-" + piece;
                } else {
                    std::snprintf(buf, sizeof buf, f.c_str(), n);
                    piece = buf;
                }
                break;
            }
            case 'f':
            case 'F':
            case 'e':
            case 'E':
            case 'g':
            case 'G': {
                auto d = v.is_number() ? py_float(v) : std::nullopt;
                if (!d) return std::nullopt;
                std::snprintf(buf, sizeof buf, (spec + conv).c_str(), *d);
                piece = buf;
                break;
            }
            default:
                return std::nullopt;
        }
        out += piece;
    }
    if (consumed != 1) return std::nullopt;
    return out;
}

#pragma GCC diagnostic pop

std::string sv(const Value& v) {
    return std::string(v.as_string());
}

}  // namespace

void register_text_filters(Library& lib) {
    lib.add_filter("lower",
                   spec([](const Value& v, const Value*,
                           FilterEnv&) { return Value::string(text::lower(v.as_string())); },
                        kNoArg, true, true));
    lib.add_filter("upper",
                   spec([](const Value& v, const Value*,
                           FilterEnv&) { return Value::string(text::upper(v.as_string())); },
                        kNoArg, false, true));
    lib.add_filter("title",
                   spec([](const Value& v, const Value*,
                           FilterEnv&) { return Value::string(django_title(v.as_string())); },
                        kNoArg, true, true));
    lib.add_filter("capfirst", spec(
                                   [](const Value& v, const Value*, FilterEnv&) {
                                       std::string_view s = v.as_string();
                                       if (s.empty()) return v;
                                       std::size_t i = 0;
                                       char32_t c = text::next_cp(s, i);
                                       std::string out;
                                       text::append_utf8(out, text::to_upper(c));
                                       out.append(s.substr(i));
                                       return Value::string(std::move(out));
                                   },
                                   kNoArg, true, true));
    lib.add_filter("truncatechars", spec(
                                        [](const Value& v, const Value* arg, FilterEnv&) {
                                            auto n = py_int(*arg);
                                            if (!n) return v;
                                            return Value::string(truncate_chars(v.as_string(), *n));
                                        },
                                        kArg, true, true));
    lib.add_filter("truncatewords", spec(
                                        [](const Value& v, const Value* arg, FilterEnv&) {
                                            auto n = py_int(*arg);
                                            if (!n) return v;
                                            return Value::string(truncate_words(v.as_string(), *n));
                                        },
                                        kArg, true, true));
    lib.add_filter("slugify", spec([](const Value& v, const Value*,
                                      FilterEnv&) { return Value::string(slugify(v.as_string())); },
                                   kNoArg, true, true));
    lib.add_filter("cut", spec(
                              [](const Value& v, const Value* arg, FilterEnv&) {
                                  std::string a = arg->str();
                                  std::string s = sv(v);
                                  if (!a.empty()) {
                                      std::string out;
                                      std::size_t pos = 0;
                                      for (auto f = s.find(a); f != std::string::npos;
                                           f = s.find(a, pos)) {
                                          out.append(s, pos, f - pos);
                                          pos = f + a.size();
                                      }
                                      out.append(s, pos, std::string::npos);
                                      s = std::move(out);
                                  }
                                  return Value::string(std::move(s), v.safe() && a != ";");
                              },
                              kArg, false, true));
    lib.add_filter("addslashes", spec(
                                     [](const Value& v, const Value*, FilterEnv&) {
                                         std::string out;
                                         for (char c : v.as_string()) {
                                             if (c == '\\' || c == '"' || c == '\'') out += '\\';
                                             out += c;
                                         }
                                         return Value::string(std::move(out));
                                     },
                                     kNoArg, true, true));
    lib.add_filter("ljust", spec(
                                [](const Value& v, const Value* arg, FilterEnv&) {
                                    return Value::string(pad(v.as_string(), width_arg(arg), -1));
                                },
                                kArg, true, true));
    lib.add_filter("rjust", spec(
                                [](const Value& v, const Value* arg, FilterEnv&) {
                                    return Value::string(pad(v.as_string(), width_arg(arg), 1));
                                },
                                kArg, true, true));
    lib.add_filter("center", spec(
                                 [](const Value& v, const Value* arg, FilterEnv&) {
                                     return Value::string(pad(v.as_string(), width_arg(arg), 0));
                                 },
                                 kArg, true, true));
    lib.add_filter("wordcount",
                   spec(
                       [](const Value& v, const Value*, FilterEnv&) {
                           return Value::integer(std::int64_t(py_split(v.as_string()).size()));
                       },
                       kNoArg, false, true));
    lib.add_filter(
        "wordwrap",
        spec([](const Value& v, const Value* arg,
                FilterEnv&) { return Value::string(wordwrap(v.as_string(), width_arg(arg))); },
             kArg, true, true));
    lib.add_filter("make_list", spec(
                                    [](const Value& v, const Value*, FilterEnv&) {
                                        std::vector<Value> items;
                                        v.iterate([&](const Value& c) {
                                            items.push_back(Value::string(c.str()));
                                            return true;
                                        });
                                        return Value::sequence(std::move(items));
                                    },
                                    kNoArg, false, true));
    lib.add_filter("phone2numeric",
                   spec(
                       [](const Value& v, const Value*, FilterEnv&) {
                           static const char* keys = "22233344455566677778889999";
                           std::string out;
                           for (char c : v.as_string()) {
                               char l = char(std::tolower(static_cast<unsigned char>(c)));
                               out += (l >= 'a' && l <= 'z') ? keys[l - 'a'] : c;
                           }
                           return Value::string(std::move(out));
                       },
                       kNoArg, true, true));
    lib.add_filter("stringformat",
                   spec(
                       [](const Value& v, const Value* arg, FilterEnv&) {
                           Value in = v.kind() == Value::Kind::tuple ? Value::string(v.str()) : v;
                           auto r = percent_format(std::string("%").append(arg->str()), in);
                           return Value::string(r.value_or(""));
                       },
                       kArg, true, false));
}

}  // namespace famigo::web::tmpl
