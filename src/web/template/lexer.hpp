// Splits template source into tokens exactly as Django's lexer does: {{ }},
// {% %} and {# #} on one line each (a tag never spans a newline), everything
// else text, and inside {% verbatim %} everything but the matching end tag is
// text. Also Django's smart_split for tag arguments, which keeps quoted
// strings with spaces together.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace famigo::web::tmpl {

enum class TokenType : unsigned char { text, var, block, comment };

struct Token {
    TokenType type;
    std::string_view contents;  // inside the delimiters, trimmed; whole text for text tokens
    std::string_view raw;       // as written, delimiters included
    int line;
};

std::vector<Token> tokenize(std::string_view source);

// Django's smart_split: whitespace-separated bits, quoted strings kept whole.
std::vector<std::string> smart_split(std::string_view s);
// Django's Token.split_contents: smart_split plus _("...") pieces rejoined.
std::vector<std::string> split_contents(const Token& t);

}  // namespace famigo::web::tmpl
