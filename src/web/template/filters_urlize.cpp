// URL filters: urlize (Django's link finder, with its smart_urlquote and
// punctuation trimming), urlencode and iriencode.
#include "core/encoding.hpp"
#include "web/template/engine.hpp"
#include "web/template/filter_util.hpp"
#include "web/template/text.hpp"

namespace famigo::web::tmpl {

using namespace filters;

namespace {

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
                    int d = hex ? encoding::hex_value(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
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

// Django's smart_urlquote: re-quote path and fragment, re-encode the query.
std::string smart_urlquote(const std::string& url) {
    const std::string safe = "!$&'()*+,;=:/?#[]@~";
    auto unquote_quote = [&](std::string_view seg) {
        return url_quote(encoding::percent_decode_lenient(seg), safe);
    };
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
                std::string k = encoding::percent_decode_lenient(
                    encoding::percent_decode_lenient(pair.substr(0, eq), encoding::Space::plus));
                std::string v =
                    eq == std::string::npos
                        ? ""
                        : encoding::percent_decode_lenient(encoding::percent_decode_lenient(
                              pair.substr(eq + 1), encoding::Space::plus));
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

}  // namespace

void register_url_filters(Library& lib) {
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
}

}  // namespace famigo::web::tmpl
