// The text rules both search backends share, so a query means the same on
// Xapian and on Solr: how text is folded and cut into words (lower case,
// accents to ASCII, punctuation as a break, apostrophes dropped), how a query's
// text becomes clauses (words and "quoted phrases", the last word also a
// prefix while it is being typed), how many typos a word may carry, and the
// edit distance that measures them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace famigo::search {

// Folded words of a text: "Pokémon GO: Kid's Edition" -> pokemon go kids edition.
// Letters outside Latin are kept (lower-cased only when ASCII); a word is cut
// at 64 bytes (at the start of the letter that would cross it).
std::vector<std::string> words(std::string_view text);

struct Clause {
    std::vector<std::string> words;  // one word, or a phrase's words in order
    bool phrase = false;
    bool prefix = false;  // the last word of the query, being typed
    bool stop = false;    // a stop word ("for", "the"): it ranks, it does not have to match
};

// At most kMaxClauses clauses; quotes that do not pair are ignored; operator
// characters (+ - * ~ : ( ) ^) fold away like any punctuation.
inline constexpr std::size_t kMaxClauses = 16;
std::vector<Clause> parse(std::string_view text);

// Edits tolerated in a folded word: 0 below 5 letters, 1 from 5, 2 from 9.
int typo_budget(std::string_view word);

// Optimal string alignment distance (a swap of neighbours is one edit), or
// limit + 1 as soon as it must exceed limit.
int edit_distance(std::string_view a, std::string_view b, int limit);
// The edit distance from `a` to the closest prefix of `b` ("minecarft" is 1
// from "minecraft pe"'s word "minecraft"; "minec" is 0 from it), capped the
// same way: a word being typed, matched against indexed words.
int prefix_edit_distance(std::string_view a, std::string_view b, int limit);

// The query text with `corrected` words in place of the parsed ones, in order.
std::string join(const std::vector<std::string>& words);

}  // namespace famigo::search
