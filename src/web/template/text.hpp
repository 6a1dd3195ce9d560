// Text helpers shared by the template engine (UTF-8 walking and HTML escaping
// come from core/text.hpp): Python's str.lower/upper/title/isspace for the
// characters templates meet (ASCII, Latin-1, Latin Extended-A, Greek,
// Cyrillic), and Python's repr() of a string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"

namespace famigo::web::tmpl::text {

// UTF-8 walking and HTML escaping live in core (web/security needs them too).
using famigo::text::append_utf8;
using famigo::text::cp_count;
using famigo::text::next_cp;
std::vector<char32_t> decode(std::string_view s);
std::string encode(const std::vector<char32_t>& cps, std::size_t from = 0,
                   std::size_t to = std::string::npos);

// & < > " ' become &amp; &lt; &gt; &quot; &#x27;
inline void append_escaped(std::string& out, std::string_view s) {
    famigo::text::append_html_escaped(out, s);
}
inline std::string escape(std::string_view s) {
    return famigo::text::html_escape(s);
}

char32_t to_lower(char32_t c);
char32_t to_upper(char32_t c);
bool is_cased(char32_t c);
bool is_upper(char32_t c);
bool is_lower(char32_t c);
bool is_space(char32_t c);  // Python str.isspace
bool is_alnum(char32_t c);  // Python \w minus '_' (approximately: letters and digits)
bool is_word(char32_t c);   // Python re \w
bool is_digit(char32_t c);
bool is_combining(char32_t c);

std::string lower(std::string_view s);
std::string upper(std::string_view s);
std::string py_title(std::string_view s);  // Python str.title()

// Python repr() of a str, quotes included.
void append_py_repr(std::string& out, std::string_view s);

}  // namespace famigo::web::tmpl::text
