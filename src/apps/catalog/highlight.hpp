// Search-result highlighting: a title (or any short text) as HTML with the
// words that matched the query wrapped in <mark>, everything escaped. A word
// matches when, folded as the index folds it (search/analyze.hpp), it equals a
// query word, starts with it (the last word being typed; "games" for "game"),
// or is within the query word's typo budget ("Minecraft" for "mincraft").
#pragma once

#include <string>
#include <string_view>

namespace famigo::apps::catalog {

std::string highlight_html(std::string_view text, std::string_view query);

}  // namespace famigo::apps::catalog
