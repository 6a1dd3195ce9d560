// Text helpers shared by the template engine: UTF-8 walking, HTML escaping the
// way Django's escape() does it, Python's str.lower/upper/title/isspace for the
// characters templates meet (ASCII, Latin-1, Latin Extended-A, Greek,
// Cyrillic), and Python's repr() of a string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace famigo::web::tmpl::text {

// Decodes one code point at s[i] and advances i; an invalid byte decodes as
// itself (0x80..0xFF) so that no input is ever rejected.
char32_t next_cp(std::string_view s, std::size_t& i);
void append_utf8(std::string& out, char32_t cp);
std::vector<char32_t> decode(std::string_view s);
std::string encode(const std::vector<char32_t>& cps, std::size_t from = 0,
                   std::size_t to = std::string::npos);
std::size_t cp_count(std::string_view s);

// & < > " ' become &amp; &lt; &gt; &quot; &#x27;
void append_escaped(std::string& out, std::string_view s);
std::string escape(std::string_view s);

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
