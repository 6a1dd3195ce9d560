#include "web/template/lexer.hpp"

#include "web/template/text.hpp"

namespace famigo::web::tmpl {

namespace {

// Python's str.strip() for the characters that can occur inside a one-line tag.
std::string_view py_strip(std::string_view s) {
    auto space = [](char c) {
        return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
    };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

// Finds the end of a tag that starts at `pos` with opener `open` ("{{", "{%"
// or "{#"): the first closer on the same line. npos if none.
std::size_t tag_end(std::string_view src, std::size_t pos, char close) {
    for (std::size_t i = pos + 2; i + 1 < src.size(); ++i) {
        if (src[i] == '\n') return std::string_view::npos;
        if (src[i] == close && src[i + 1] == '}') return i + 2;
    }
    return std::string_view::npos;
}

}  // namespace

std::vector<Token> tokenize(std::string_view src) {
    std::vector<Token> out;
    std::string verbatim_end;  // non-empty while inside {% verbatim %}
    bool in_verbatim = false;
    int line = 1;
    std::size_t text_start = 0;
    auto count_lines = [](std::string_view s) {
        int n = 0;
        for (char c : s) n += c == '\n';
        return n;
    };
    auto flush_text = [&](std::size_t end) {
        if (end > text_start) {
            std::string_view t = src.substr(text_start, end - text_start);
            out.push_back({TokenType::text, t, t, line});
            line += count_lines(t);
        }
    };
    std::size_t i = 0;
    while (i + 1 < src.size()) {
        if (src[i] != '{' || (src[i + 1] != '{' && src[i + 1] != '%' && src[i + 1] != '#')) {
            ++i;
            continue;
        }
        char kind = src[i + 1];
        char close = kind == '{' ? '}' : kind;
        std::size_t end = tag_end(src, i, close);
        if (end == std::string_view::npos) {
            ++i;
            continue;
        }
        flush_text(i);
        std::string_view raw = src.substr(i, end - i);
        std::string_view inner = py_strip(raw.substr(2, raw.size() - 4));
        Token tok{TokenType::text, raw, raw, line};
        if (kind == '%') {
            if (in_verbatim) {
                if (inner == verbatim_end) {
                    in_verbatim = false;
                    tok = {TokenType::block, inner, raw, line};
                }
            } else {
                if (inner.substr(0, 9) == "verbatim" || inner.substr(0, 9) == "verbatim ") {
                    in_verbatim = true;
                    verbatim_end = "end" + std::string(inner);
                }
                tok = {TokenType::block, inner, raw, line};
            }
        } else if (!in_verbatim) {
            tok = {kind == '{' ? TokenType::var : TokenType::comment, inner, raw, line};
        }
        out.push_back(tok);
        line += count_lines(raw);
        i = end;
        text_start = end;
    }
    flush_text(src.size());
    return out;
}

namespace {

bool is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Length of a quoted string starting at s[i] (a quote), or 0 if unterminated.
std::size_t quoted_len(std::string_view s, std::size_t i) {
    char q = s[i];
    for (std::size_t k = i + 1; k < s.size(); ++k) {
        if (s[k] == '\\') {
            if (k + 1 < s.size() && s[k + 1] != '\n') {
                ++k;
                continue;
            }
            return 0;
        }
        if (s[k] == q) return k + 1 - i;
    }
    return 0;
}

}  // namespace

std::vector<std::string> smart_split(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (is_ws(s[i])) {
            ++i;
            continue;
        }
        // First alternative of Django's regex: runs of plain characters around
        // at least one complete quoted string.
        std::size_t k = i;
        while (k < s.size() && !is_ws(s[k]) && s[k] != '"' && s[k] != '\'') ++k;
        bool any_quoted = false;
        while (k < s.size() && (s[k] == '"' || s[k] == '\'')) {
            std::size_t q = quoted_len(s, k);
            if (q == 0) break;
            any_quoted = true;
            k += q;
            while (k < s.size() && !is_ws(s[k]) && s[k] != '"' && s[k] != '\'') ++k;
        }
        if (!any_quoted) {  // second alternative: \S+
            k = i;
            while (k < s.size() && !is_ws(s[k])) ++k;
        }
        out.emplace_back(s.substr(i, k - i));
        i = k;
    }
    return out;
}

std::vector<std::string> split_contents(const Token& t) {
    auto bits = smart_split(t.contents);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < bits.size(); ++i) {
        std::string bit = bits[i];
        if (bit.rfind("_(\"", 0) == 0 || bit.rfind("_('", 0) == 0) {
            std::string sentinel{bit[2], ')'};
            auto ends = [&](const std::string& b) {
                return b.size() >= 2 && b.compare(b.size() - 2, 2, sentinel) == 0;
            };
            while (!ends(bit) && i + 1 < bits.size()) bit += " " + bits[++i];
        }
        out.push_back(std::move(bit));
    }
    return out;
}

}  // namespace famigo::web::tmpl
