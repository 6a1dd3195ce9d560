#include "search/xapian/xapian_query.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace famigo::search::xapian_detail {
namespace {

// A clause that matches counts this much more than any text score can reach,
// so documents matching every word come first.
constexpr double kClauseBonus = 1000;
// The prior (0..1) is worth at most this: less than one good title match.
constexpr double kPriorWeight = 2.5;
// Typo and prefix expansions count less than the word as typed.
constexpr double kTypoScale = 0.6;
constexpr double kPrefixScale = 0.8;
constexpr std::size_t kMaxExpansions = 30;
// A word held by this many documents (at least kKnownWordMin, or one in
// kKnownWordShare) gets no typo expansions.
constexpr Xapian::doccount kKnownWordMin = 5;
constexpr Xapian::doccount kKnownWordShare = 2000;
// Facet counts and totals are exact up to this many matches, estimates beyond.
constexpr Xapian::doccount kCheckAtLeast = 10000;
// Without facets only the total needs it: exact up to this many, estimated
// beyond ("about 12,000 results"), so the match can stop once the best page
// is known instead of weighing 10,000 documents (search as you type at 1M).
constexpr Xapian::doccount kCheckAtLeastNoFacets = 1000;
// The title pass answers pages within this many results.
constexpr Xapian::doccount kTitlePassDepth = 100;
// Keeps terms inside Xapian's 245-byte limit.
constexpr std::size_t kMaxValueBytes = 200;

bool near_word(std::string_view word, std::string_view candidate, int budget, bool prefix) {
    if (candidate == word) return false;
    if (prefix)
        return candidate.starts_with(word) ||
               (budget > 0 && candidate.size() + std::size_t(budget) >= word.size() &&
                prefix_edit_distance(word, candidate, budget) <= budget);
    auto n = word.size(), m = candidate.size();
    if ((n > m ? n - m : m - n) > std::size_t(budget)) return false;
    return edit_distance(word, candidate, budget) <= budget;
}

// Terms "W..." within the word's typo budget (prefix: of some prefix of the
// term), most frequent first.
std::vector<std::string> expansions(const Xapian::Database& db, const Vocabulary* vocabulary,
                                    const std::string& word, bool prefix) {
    int budget = typo_budget(word);
    if (budget == 0 && !prefix) return {};
    // A word many documents hold is spelt as meant: its typo expansions
    // ("games": james, gamer, names...) would only add weak matches, and at
    // 100k apps they made most of a multi-word query's cost.
    if (!prefix &&
        db.get_termfreq("W" + word) >=
            std::max<Xapian::doccount>(kKnownWordMin, db.get_doccount() / kKnownWordShare))
        return {};
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    // Typos in the first letter are not looked for: it keeps the scan to one
    // letter's words, and people rarely get the first letter wrong.
    std::string letter = word.substr(0, 1);
    if (vocabulary) {
        const auto& words = vocabulary->words;
        auto first = std::lower_bound(words.begin(), words.end(), letter);
        for (auto it = first; it != words.end() && it->starts_with(letter); ++it)
            if (near_word(word, *it, budget, prefix))
                found.emplace_back(vocabulary->freqs[std::size_t(it - words.begin())], "W" + *it);
    } else {
        std::string start = "W" + letter;
        for (auto t = db.allterms_begin(start); t != db.allterms_end(start); ++t) {
            std::string term = *t;
            if (near_word(word, std::string_view(term).substr(1), budget, prefix))
                found.emplace_back(t.get_termfreq(), std::move(term));
        }
    }
    std::size_t keep = std::min(found.size(), kMaxExpansions);
    std::partial_sort(found.begin(), found.begin() + std::ptrdiff_t(keep), found.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < keep; ++i) out.push_back(std::move(found[i].second));
    return out;
}

Xapian::Query clause_query(const Xapian::Database& db, const Vocabulary* vocabulary,
                           const Clause& clause, const Xapian::Stem& stem) {
    if (clause.phrase) {
        std::vector<Xapian::Query> terms;
        for (const auto& w : clause.words) terms.emplace_back("W" + w);
        return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                             Xapian::termcount(terms.size()));
    }
    const std::string& w = clause.words[0];
    std::vector<Xapian::Query> parts = {Xapian::Query("W" + w), Xapian::Query("Z" + stem(w))};
    auto more = expansions(db, vocabulary, w, clause.prefix);
    if (!more.empty())
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                           Xapian::Query(Xapian::Query::OP_SYNONYM, more.begin(), more.end()),
                           clause.prefix ? kPrefixScale : kTypoScale);
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

// `every_word`: only documents that match every required clause (the first
// pass of a query; see run_query).
Xapian::Query text_query(const Xapian::Database& db, const Vocabulary* vocabulary,
                         const std::vector<Clause>& clauses, const Xapian::Stem& stem,
                         bool every_word) {
    std::vector<Xapian::Query> required, optional;
    for (const auto& clause : clauses) {
        Xapian::Query q = clause_query(db, vocabulary, clause, stem);
        if (clause.stop) {
            optional.push_back(q);
            continue;
        }
        required.push_back(q);
        auto* bonus = new Xapian::FixedWeightPostingSource(kClauseBonus);
        optional.emplace_back(Xapian::Query::OP_FILTER, Xapian::Query(bonus->release()), q);
    }
    Xapian::Query any(every_word ? Xapian::Query::OP_AND : Xapian::Query::OP_OR, required.begin(),
                      required.end());
    if (optional.empty()) return any;
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, any,
                         Xapian::Query(Xapian::Query::OP_OR, optional.begin(), optional.end()));
}

std::string clip(std::string value) {
    if (value.size() > kMaxValueBytes) value.resize(kMaxValueBytes);
    return value;
}

}  // namespace

Xapian::valueno keyword_slot(const Schema& schema, const std::string& field) {
    auto it = std::find(schema.keywords.begin(), schema.keywords.end(), field);
    return Xapian::valueno(1 + (it - schema.keywords.begin()));
}

Xapian::valueno number_slot(const Schema& schema, const std::string& field) {
    auto it = std::find(schema.numbers.begin(), schema.numbers.end(), field);
    return Xapian::valueno(1 + schema.keywords.size() + std::size_t(it - schema.numbers.begin()));
}

std::string keyword_term(const std::string& field, const std::string& value) {
    return "K" + field + "=" + clip(value);
}

unsigned prior_band(double prior) {
    prior = std::isfinite(prior) ? std::clamp(prior, 0.0, 1.0) : 0.0;
    return std::min(kPriorBands - 1, unsigned((1.0 - prior) * kPriorBands));
}

double prior_of_docid(Xapian::docid docid) {
    constexpr double kSpan = double(kPriorBands) * double(kBandSize);
    return kPriorWeight * (1.0 - double(docid - 1) / kSpan);
}

std::string band_key(unsigned band) {
    return "famigo.band." + std::to_string(band);
}

Xapian::Document make_document(const Schema& schema, const Document& doc, const Xapian::Stem& stem,
                               std::vector<std::string>& spelling, Xapian::docid docid) {
    Xapian::Document out;
    out.set_data(doc.id);
    out.add_boolean_term("Q" + clip(doc.id));
    Xapian::termpos pos = 0;
    for (const auto& field : schema.text) {
        auto it = doc.text.find(field.name);
        if (it == doc.text.end()) continue;
        auto wdf = Xapian::termcount(std::clamp(field.weight, 1, 10));
        bool title = &field == &schema.text.front();
        auto ws = words(it->second);
        if (title && !ws.empty()) out.add_boolean_term("E" + clip(join(ws)));
        for (const auto& w : ws) {
            out.add_posting("W" + w, ++pos, wdf);
            out.add_term("Z" + stem(w), wdf);
            spelling.push_back(w);
            if (!title) continue;
            // Each leading run of letters, up to kTitlePrefixLetters: "mine",
            // "minec"... of "minecraft".
            std::size_t letters = 0;
            for (std::size_t end = 1; end <= w.size() && letters < kTitlePrefixLetters; ++end) {
                if (end < w.size() && (static_cast<unsigned char>(w[end]) & 0xC0) == 0x80) continue;
                ++letters;
                out.add_boolean_term("P" + w.substr(0, end));
            }
        }
        pos += 100;  // a phrase never spans two fields
    }
    for (const auto& [field, value] : doc.keywords) {
        out.add_value(keyword_slot(schema, field), clip(value));
        out.add_boolean_term(keyword_term(field, value));
    }
    for (const auto& [field, value] : doc.numbers)
        out.add_value(number_slot(schema, field), Xapian::sortable_serialise(value));
    double prior = std::isfinite(doc.prior) ? std::clamp(doc.prior, 0.0, 1.0) : 0.0;
    out.add_value(kPriorSlot,
                  Xapian::sortable_serialise(docid ? prior_of_docid(docid) : prior * kPriorWeight));
    return out;
}

bool has_prior_bands(const Xapian::Database& db) {
    return db.get_metadata(kOrderKey) == kOrderPriorBands;
}

std::shared_ptr<const Vocabulary> load_vocabulary(const Xapian::Database& db) {
    auto out = std::make_shared<Vocabulary>();
    for (auto t = db.allterms_begin("W"); t != db.allterms_end("W"); ++t) {
        out->words.push_back((*t).substr(1));
        out->freqs.push_back(t.get_termfreq());
    }
    return out;
}

namespace {

// The title prefix term of a typed word: "P" and its first
// kTitlePrefixLetters letters (a longer word is looked up by those).
std::string title_prefix_term(std::string_view word) {
    std::size_t letters = 0, end = 0;
    for (; end < word.size(); ++end) {
        if ((static_cast<unsigned char>(word[end]) & 0xC0) == 0x80) continue;
        if (letters == kTitlePrefixLetters) break;
        ++letters;
    }
    return "P" + std::string(word.substr(0, end));
}

Xapian::Query filter_query(const Query& query, Xapian::Query match) {
    std::vector<Xapian::Query> filters;
    for (const auto& [field, values] : query.filters) {
        std::vector<Xapian::Query> any;
        for (const auto& v : values) any.emplace_back(keyword_term(field, v));
        filters.emplace_back(Xapian::Query::OP_OR, any.begin(), any.end());
    }
    if (filters.empty()) return match;
    return Xapian::Query(Xapian::Query::OP_FILTER, match,
                         Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
}

// The title pass (see run_query): apps whose title has every typed word
// (each as a title word's prefix, the stem too for words already typed), by
// prior alone. Empty when a clause is a phrase.
std::optional<Xapian::Query> title_pass_query(const Query& query,
                                              const std::vector<Clause>& clauses,
                                              const Xapian::Stem& stem) {
    std::vector<Xapian::Query> every;
    for (const auto& clause : clauses) {
        if (clause.phrase) return std::nullopt;
        if (clause.stop) continue;
        const std::string& w = clause.words[0];
        std::string term = title_prefix_term(w);
        std::string stemmed = title_prefix_term(stem(w));
        if (clause.prefix || stemmed == term || !w.starts_with(stemmed.substr(1)))
            every.emplace_back(term);
        else  // "games" finds "Game": its stem as a prefix
            every.emplace_back(stemmed);
    }
    Xapian::Query text = every.empty()
                             ? Xapian::Query::MatchAll
                             : Xapian::Query(Xapian::Query::OP_AND, every.begin(), every.end());
    // Weighs nothing: the prior, read from the id, decreases along the ids,
    // so the match stops once it holds its page.
    auto* prior = new Xapian::DecreasingValueWeightPostingSource(kPriorSlot);
    Xapian::Query match(Xapian::Query::OP_AND_MAYBE,
                        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, text, 0),
                        Xapian::Query(prior->release()));
    return filter_query(query, match);
}

Xapian::Query full_query(const Xapian::Database& db, const Query& query,
                         const std::vector<Clause>& clauses, const Xapian::Stem& stem,
                         const Vocabulary* vocabulary, bool every_word) {
    Xapian::Query match = clauses.empty() ? Xapian::Query::MatchAll
                                          : text_query(db, vocabulary, clauses, stem, every_word);
    auto* prior = new Xapian::ValueWeightPostingSource(kPriorSlot);
    match = Xapian::Query(Xapian::Query::OP_AND_MAYBE, match, Xapian::Query(prior->release()));
    return filter_query(query, match);
}

}  // namespace

Result run_query(const Xapian::Database& db, const Schema& schema, const Query& query,
                 const Xapian::Stem& stem, const Vocabulary* vocabulary, bool banded) {
    auto clauses = parse(query.text);
    auto limit = Xapian::doccount(std::min<std::size_t>(query.limit, 1000));
    auto offset = Xapian::doccount(std::min<std::size_t>(query.offset, 1000000));
    // The title pass: when titles alone hold a full page with every typed
    // word, that page, best prior first, is the answer (search as you type,
    // "minecraft po"): in an index in prior bands it costs a few postings
    // per result whatever the catalog's size. Titles weigh most, and a match
    // of every word outranks all others, so the full match would put mostly
    // the same apps first. Facets and sorts need every match; the full pass
    // below also finds typos and words outside titles when titles are few.
    if (banded && query.facets.empty() && query.sort.empty() && limit > 0 &&
        offset + limit <= kTitlePassDepth) {
        if (auto title = title_pass_query(query, clauses, stem)) {
            // Apps titled exactly as typed come first ("Minecraft" before
            // the more popular "Master for Minecraft"), then the others.
            std::vector<std::string> typed;
            for (const auto& c : clauses) typed.push_back(c.words[0]);
            Xapian::Enquire exact(db);
            exact.set_query(filter_query(query, Xapian::Query("E" + clip(join(typed)))));
            exact.set_weighting_scheme(Xapian::BoolWeight());
            exact.set_docid_order(Xapian::Enquire::ASCENDING);
            Xapian::MSet first = exact.get_mset(0, offset + limit);
            Xapian::Enquire enquire(db);
            enquire.set_query(*title);
            enquire.set_weighting_scheme(Xapian::BoolWeight());
            enquire.set_docid_order(Xapian::Enquire::ASCENDING);
            Xapian::MSet mset = enquire.get_mset(0, offset + limit + first.size());
            std::vector<Xapian::docid> order;
            for (auto m = first.begin(); m != first.end(); ++m) order.push_back(*m);
            for (auto m = mset.begin(); m != mset.end(); ++m)
                if (std::find(order.begin(), order.end(), *m) == order.end()) order.push_back(*m);
            if (order.size() >= offset + limit) {
                Result result;
                for (std::size_t i = offset; i < offset + limit; ++i)
                    result.ids.push_back(db.get_document(order[i]).get_data());
                result.total = mset.get_matches_estimated();
                if (result.total < query.suggest_below && !clauses.empty())
                    result.suggestion = suggest_text(db, clauses);
                return result;
            }
        }
    }
    // Documents that match every word outrank all others (a bonus per
    // clause), so when they fill the page it is the page: a first pass asks
    // only for them, which Xapian answers by skipping through the rarest
    // word's postings instead of weighing every document that has any one
    // word ("temple r" at 1M apps: the temple apps, not every r-word app).
    // The total stays the count of every match, estimated. Facets and sorts
    // need every match, so they take the one full pass.
    std::size_t required = 0;
    for (const auto& c : clauses) required += c.stop ? 0 : 1;
    if (required > 1 && query.facets.empty() && query.sort.empty()) {
        Xapian::Enquire first(db);
        first.set_query(full_query(db, query, clauses, stem, vocabulary, true));
        first.set_docid_order(Xapian::Enquire::ASCENDING);
        Xapian::MSet mset = first.get_mset(offset, limit);
        if (mset.size() == limit && limit > 0) {
            Result result;
            for (auto m = mset.begin(); m != mset.end(); ++m)
                result.ids.push_back(m.get_document().get_data());
            Xapian::Enquire count(db);
            count.set_query(full_query(db, query, clauses, stem, vocabulary, false));
            count.set_weighting_scheme(Xapian::BoolWeight());
            auto estimate = count.get_mset(0, 0, kCheckAtLeastNoFacets);
            result.total = std::max<std::uint64_t>(estimate.get_matches_estimated(),
                                                   mset.get_matches_estimated());
            if (result.total < query.suggest_below) result.suggestion = suggest_text(db, clauses);
            return result;
        }
    }
    Xapian::Query match = full_query(db, query, clauses, stem, vocabulary, false);

    Xapian::Enquire enquire(db);
    enquire.set_query(match);
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    if (!query.sort.empty()) {
        bool descending = query.sort.starts_with('-');
        std::string field = descending ? query.sort.substr(1) : query.sort;
        enquire.set_sort_by_value_then_relevance(number_slot(schema, field), descending);
    }
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    for (const auto& field : query.facets) {
        spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(keyword_slot(schema, field)));
        enquire.add_matchspy(spies.back().get());
    }
    Xapian::MSet mset = enquire.get_mset(
        offset, limit, query.facets.empty() ? kCheckAtLeastNoFacets : kCheckAtLeast);

    Result result;
    result.total = mset.get_matches_estimated();
    for (auto m = mset.begin(); m != mset.end(); ++m)
        result.ids.push_back(m.get_document().get_data());
    for (std::size_t i = 0; i < spies.size(); ++i) {
        auto& values = result.facets[query.facets[i]];
        for (auto v = spies[i]->values_begin(); v != spies[i]->values_end(); ++v)
            values.push_back({*v, v.get_termfreq()});
        std::stable_sort(
            values.begin(), values.end(),
            [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
    }
    if (result.total < query.suggest_below && !clauses.empty())
        result.suggestion = suggest_text(db, clauses);
    return result;
}

std::string suggest_text(const Xapian::Database& db, const std::vector<Clause>& clauses) {
    std::vector<std::string> out;
    bool changed = false;
    for (const auto& clause : clauses) {
        for (const auto& w : clause.words) {
            std::string better;
            if (!clause.phrase && db.get_termfreq("W" + w) == 0)
                better = db.get_spelling_suggestion(w, unsigned(std::max(1, typo_budget(w))));
            changed = changed || !better.empty();
            out.push_back(better.empty() ? w : better);
        }
    }
    return changed ? join(out) : std::string();
}

}  // namespace famigo::search::xapian_detail
