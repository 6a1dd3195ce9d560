#include "search/solr/solr_query.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace famigo::search::solr_detail {
namespace {

// The same constants as the Xapian backend's, for the same reasons: a clause
// that matches outweighs any text score; the prior never outweighs a title
// match; typos and prefixes count less than the word as typed.
constexpr double kClauseBonus = 1000;
constexpr double kPriorWeight = 2.5;
constexpr double kTypoScale = 0.6;
constexpr double kPrefixScale = 0.8;

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// Folded words are letters and digits, but a word of another script may hold
// anything Lucene treats as syntax: escape all that is not [a-z0-9].
std::string escaped(const std::string& word) {
    std::string out;
    for (char c : word) {
        bool plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     (static_cast<unsigned char>(c) >= 0x80);
        if (!plain) out += '\\';
        out += c;
    }
    return out;
}

std::string clause_query(const Schema& schema, const Clause& clause) {
    std::string out = "(";
    auto add = [&out](const std::string& part) {
        if (out.size() > 1) out += ' ';
        out += part;
    };
    for (const auto& field : schema.text) {
        double w = std::clamp(field.weight, 1, 10);
        if (clause.phrase) {
            add(field.name + "_u:" + quoted(join(clause.words)) + "^" + num(w));
            continue;
        }
        std::string word = escaped(clause.words[0]);
        add(field.name + "_u:" + word + "^" + num(w));
        add(field.name + "_t:" + word + "^" + num(w));
        int budget = typo_budget(clause.words[0]);
        // Typo and prefix matches score a constant, as Lucene already scores
        // a prefix (a constant-score rewrite). A BM25-scored fuzzy match of a
        // rare near-word would outrank every prefix match: "minec" found
        // "miner" before Minecraft, "pokem" found "pokemo" before Pokémon.
        if (budget > 0)
            add("(" + field.name + "_u:" + word + "~" + std::to_string(budget) +
                ")^=" + num(w * kTypoScale));
        if (clause.prefix) add("(" + field.name + "_u:" + word + "*)^=" + num(w * kPrefixScale));
    }
    return out + ")";
}

std::string text_query(const Schema& schema, const std::vector<Clause>& clauses) {
    std::string required, optional;
    for (const auto& clause : clauses) {
        std::string q = clause_query(schema, clause);
        if (clause.stop) {
            optional += " " + q;
            continue;
        }
        required += (required.empty() ? "" : " ") + q;
        optional += " " + q + "^=" + num(kClauseBonus);
    }
    return "+(" + required + ")" + optional;
}

}  // namespace

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string document_json(const Document& doc, const std::string& build) {
    nlohmann::json out = {{"id", doc.id}};
    for (const auto& [name, value] : doc.text) out[name + "_t"] = join(words(value));
    for (const auto& [name, value] : doc.keywords) out[name + "_s"] = value;
    for (const auto& [name, value] : doc.numbers)
        if (std::isfinite(value)) out[name + "_d"] = value;
    double prior = std::isfinite(doc.prior) ? std::clamp(doc.prior, 0.0, 1.0) : 0.0;
    out[kPriorField] = prior * kPriorWeight;
    if (!build.empty()) out[kBuildField] = build;
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Params select_params(const Schema& schema, const Query& query) {
    auto clauses = parse(query.text);
    std::string q = clauses.empty() ? "*:*" : text_query(schema, clauses);
    q += std::string(" _query_:\"{!func}") + kPriorField + "\"";
    Params p = {{"q", q},
                {"defType", "lucene"},
                {"q.op", "OR"},
                {"fl", "id"},
                {"wt", "json"},
                {"start", std::to_string(std::min<std::size_t>(query.offset, 1000000))},
                {"rows", std::to_string(std::min<std::size_t>(query.limit, 1000))}};
    for (const auto& [field, values] : query.filters) {
        std::string fq;
        for (const auto& v : values) fq += (fq.empty() ? "" : " OR ") + quoted(v);
        p.emplace_back("fq", field + "_s:(" + (fq.empty() ? "\"\"" : fq) + ")");
    }
    std::string order = "score desc";
    if (!query.sort.empty()) {
        bool descending = query.sort.starts_with('-');
        std::string field = descending ? query.sort.substr(1) : query.sort;
        order = field + "_d " + (descending ? "desc" : "asc") + ",score desc";
    }
    p.emplace_back("sort", order + ",id asc");
    if (!query.facets.empty()) {
        p.emplace_back("facet", "true");
        p.emplace_back("facet.mincount", "1");
        p.emplace_back("facet.limit", "-1");
        p.emplace_back("json.nl", "flat");
        for (const auto& f : query.facets) p.emplace_back("facet.field", f + "_s");
    }
    return p;
}

}  // namespace famigo::search::solr_detail
