// Text helpers every layer above core shares: walking UTF-8 (tolerantly: no
// input is ever rejected) and HTML escaping the way Django's escape() does.
// The template engine builds on them; web/security uses them for form field
// lengths and the CSRF failure page without depending on the engine.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace famigo::text {

// Decodes one code point at s[i] and advances i; an invalid byte decodes as
// itself (0x80..0xFF) so that no input is ever rejected.
char32_t next_cp(std::string_view s, std::size_t& i);
void append_utf8(std::string& out, char32_t cp);
// Code points in s, counted as next_cp walks them (what Python's len() gives
// for valid UTF-8).
std::size_t cp_count(std::string_view s);

// & < > " ' become &amp; &lt; &gt; &quot; &#x27;
void append_html_escaped(std::string& out, std::string_view s);
std::string html_escape(std::string_view s);

}  // namespace famigo::text
