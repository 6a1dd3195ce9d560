#include "search/analyze.hpp"

#include <algorithm>
#include <array>
#include <span>

#include "core/text.hpp"

namespace famigo::search {
namespace {

using namespace std::literals;

constexpr std::size_t kMaxWordBytes = 64;

// U+00C0..U+00FF folded; '\0' is not a letter (× ÷), '1' and '2' expand.
constexpr std::string_view kLatin1 =
    "aaaaaa1ceeeeiiiidnooooo\0ouuuuyt2aaaaaa1ceeeeiiiidnooooo\0ouuuuyty"sv;
// U+0100..U+017F (Latin Extended-A) folded to their base letter.
constexpr std::string_view kLatinExtA =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllllllln"
    "nnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

const std::array<std::string_view, 15> kStopWords = {"a",   "an",   "and", "app",  "apps",
                                                     "for", "free", "in",  "my",   "of",
                                                     "on",  "the",  "to",  "with", "your"};

// Appends the folded form of one code point to `word`; false when it breaks words.
bool fold(char32_t cp, std::string& word) {
    if (cp < 0x80) {
        char c = char(cp);
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            word += c;
            return true;
        }
        return false;
    }
    if (cp >= 0xC0 && cp <= 0xFF) {
        char c = kLatin1[cp - 0xC0];
        if (c == '\0') return false;
        if (c == '1')
            word += "ae";
        else if (c == '2')
            word += "ss";
        else if (c == 't')
            word += (cp == 0xDE || cp == 0xFE) ? "th" : "t";
        else
            word += c;
        return true;
    }
    if (cp >= 0x100 && cp <= 0x17F) {
        word += kLatinExtA[cp - 0x100];
        return true;
    }
    // Punctuation, symbols, spaces, emoji: breaks. Other scripts are words.
    if (cp < 0x100 || (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
        cp >= 0x1F000 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF)
        return false;
    text::append_utf8(word, cp);
    return true;
}

bool is_apostrophe(char32_t cp) {
    return cp == '\'' || cp == 0x2019;
}

void cut(std::string& word, std::vector<std::string>& out) {
    if (word.empty()) return;
    if (word.size() > kMaxWordBytes) {
        // Cut at a letter's start: half a letter is not UTF-8 (Solr refuses
        // such a query with a 400; a CJK title is one long word).
        std::size_t n = kMaxWordBytes;
        while (n > 0 && (static_cast<unsigned char>(word[n]) & 0xC0) == 0x80) --n;
        word.resize(n);
    }
    out.push_back(std::move(word));
    word.clear();
}

bool is_stop(const std::string& word) {
    return std::find(kStopWords.begin(), kStopWords.end(), word) != kStopWords.end();
}

}  // namespace

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::string word;
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = text::next_cp(text, i);
        // "kid's" is one word, "kids"; a quote between blanks is a break.
        if (is_apostrophe(cp) && !word.empty() && i < text.size()) {
            std::size_t j = i;
            std::string probe;
            if (fold(text::next_cp(text, j), probe)) continue;
        }
        if (!fold(cp, word)) cut(word, out);
    }
    cut(word, out);
    return out;
}

std::vector<Clause> parse(std::string_view text) {
    // Pieces between double quotes alternate plain/phrase; a last, unpaired
    // quote opens nothing.
    std::vector<std::pair<std::string_view, bool>> pieces;
    std::size_t quotes = static_cast<std::size_t>(std::count(text.begin(), text.end(), '"'));
    bool inside = false;
    std::size_t start = 0, seen = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && text[i] != '"') continue;
        pieces.emplace_back(text.substr(start, i - start), inside);
        if (i < text.size()) {
            ++seen;
            // Toggle only if this quote has a partner.
            if (inside || seen < quotes || quotes % 2 == 0) inside = !inside;
        }
        start = i + 1;
    }
    std::vector<Clause> out;
    for (const auto& [piece, phrase] : pieces) {
        auto ws = words(piece);
        if (ws.empty()) continue;
        if (phrase && ws.size() > 1) {
            if (ws.size() > kMaxClauses) ws.resize(kMaxClauses);
            out.push_back(Clause{std::move(ws), true, false, false});
        } else {
            for (auto& w : ws) out.push_back(Clause{{std::move(w)}, false, false, false});
        }
    }
    if (out.size() > kMaxClauses) out.resize(kMaxClauses);
    // The last word is still being typed unless the text ends with a break.
    if (!out.empty() && !out.back().phrase && !text.empty()) {
        std::size_t k = text.size() - 1;
        while (k > 0 && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) --k;
        std::string tail;
        if (fold(text::next_cp(text, k), tail)) out.back().prefix = true;
    }
    bool all_stop = std::all_of(out.begin(), out.end(),
                                [](const Clause& c) { return !c.phrase && is_stop(c.words[0]); });
    if (!all_stop)
        for (auto& c : out) c.stop = !c.phrase && !c.prefix && is_stop(c.words[0]);
    return out;
}

int typo_budget(std::string_view word) {
    std::size_t n = text::cp_count(word);
    return n >= 9 ? 2 : n >= 5 ? 1 : 0;
}

namespace {

// Optimal string alignment rows over a and b; `prefix`: the distance from a to
// the closest prefix of b (the last row's minimum) rather than to all of b.
// Words are at most kMaxWordBytes, so the rows live on the stack: this runs
// for every indexed word of a letter on each typo lookup.
int osa_distance(std::string_view a, std::string_view b, int limit, bool prefix) {
    int n = int(a.size()), m = int(b.size());
    if (!prefix && std::abs(n - m) > limit) return limit + 1;
    if (prefix && m > n + limit) m = n + limit;  // a longer prefix of b cannot be closer
    constexpr std::size_t kRow = kMaxWordBytes + 2;
    std::array<int, 3 * kRow> stack{};
    std::vector<int> heap;  // only for text longer than a word
    int* rows = stack.data();
    std::size_t width = kRow;
    if (std::size_t(m) + 1 > kRow) {
        width = std::size_t(m) + 1;
        heap.assign(3 * width, 0);
        rows = heap.data();
    }
    std::span<int> prev2(rows, width), prev(rows + width, width), cur(rows + 2 * width, width);
    for (int j = 0; j <= m; ++j) prev[std::size_t(j)] = j;
    for (int i = 1; i <= n; ++i) {
        cur[0] = i;
        int row_min = i;
        for (int j = 1; j <= m; ++j) {
            auto uj = std::size_t(j);
            int cost = a[std::size_t(i - 1)] == b[uj - 1] ? 0 : 1;
            int v = std::min({prev[uj] + 1, cur[uj - 1] + 1, prev[uj - 1] + cost});
            if (i > 1 && j > 1 && a[std::size_t(i - 1)] == b[uj - 2] &&
                a[std::size_t(i - 2)] == b[uj - 1])
                v = std::min(v, prev2[uj - 2] + 1);
            cur[uj] = v;
            row_min = std::min(row_min, v);
        }
        if (row_min > limit) return limit + 1;
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    int best = prev[std::size_t(m)];
    if (prefix)
        for (int j = 0; j <= m; ++j) best = std::min(best, prev[std::size_t(j)]);
    return std::min(best, limit + 1);
}

}  // namespace

int edit_distance(std::string_view a, std::string_view b, int limit) {
    return osa_distance(a, b, limit, false);
}

int prefix_edit_distance(std::string_view a, std::string_view b, int limit) {
    return osa_distance(a, b, limit, true);
}

std::string join(const std::vector<std::string>& ws) {
    std::string out;
    for (const auto& w : ws) {
        if (!out.empty()) out += ' ';
        out += w;
    }
    return out;
}

}  // namespace famigo::search
