#include "apps/catalog/highlight.hpp"

#include <vector>

#include "core/text.hpp"
#include "search/analyze.hpp"

namespace famigo::apps::catalog {
namespace {

// ASCII letters, digits and apostrophes are word bytes; every byte of a
// multi-byte UTF-8 sequence is too (accented letters belong to their word).
bool highlight_word_byte(unsigned char c) {
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || c == '\'';
}

bool highlight_matches(const std::string& word, const std::vector<std::string>& query_words) {
    for (const auto& q : query_words) {
        // A prefix: the word being typed, or a stem ("game" in "games"); not
        // for one or two letters, which begin too many words.
        if (word == q || (q.size() >= 3 && word.starts_with(q))) return true;
        int budget = search::typo_budget(q);
        if (budget > 0 && search::edit_distance(word, q, budget) <= budget) return true;
    }
    return false;
}

}  // namespace

std::string highlight_html(std::string_view text, std::string_view query) {
    std::vector<std::string> query_words;
    for (const auto& clause : search::parse(query))
        for (const auto& w : clause.words)
            if (!clause.stop) query_words.push_back(w);
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t start = i;
        bool word = highlight_word_byte(static_cast<unsigned char>(text[i]));
        while (i < text.size() && highlight_word_byte(static_cast<unsigned char>(text[i])) == word)
            ++i;
        std::string_view piece = text.substr(start, i - start);
        bool mark = false;
        if (word && !query_words.empty()) {
            auto folded = search::words(piece);
            mark = folded.size() == 1 && highlight_matches(folded.front(), query_words);
        }
        if (mark) out += "<mark>";
        text::append_html_escaped(out, piece);
        if (mark) out += "</mark>";
    }
    return out;
}

}  // namespace famigo::apps::catalog
