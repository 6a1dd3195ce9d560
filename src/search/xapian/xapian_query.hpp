// How the Xapian backend lays out a document (terms, values) and turns a
// search::Query into a Xapian query, by the rules of search/analyze.hpp.
// Private to the backend's folder: it names Xapian types.
#pragma once

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

#include "search/analyze.hpp"
#include "search/index.hpp"

namespace famigo::search::xapian_detail {

// Term prefixes: W a folded word (with positions, for phrases), Z its English
// stem, K<field>=<value> a keyword, Q<id> the document's id.
// Value slots: 0 the ranking prior, then one per keyword field, then one per
// number field, in schema order.
inline constexpr Xapian::valueno kPriorSlot = 0;
Xapian::valueno keyword_slot(const Schema& schema, const std::string& field);
Xapian::valueno number_slot(const Schema& schema, const std::string& field);
std::string keyword_term(const std::string& field, const std::string& value);

// The Xapian document of `doc`; the words worth a spelling entry go to `spelling`.
Xapian::Document make_document(const Schema& schema, const Document& doc, const Xapian::Stem& stem,
                               std::vector<std::string>& spelling);

// Every indexed word of one revision of the index, sorted, with its document
// frequency: the typo and prefix scans read it instead of walking Xapian's
// term list, which cost most of a query's CPU (about 0.5 ms per scanned
// letter on the demo catalog). The index keeps one per revision.
struct Vocabulary {
    std::vector<std::string> words;  // without the "W" prefix
    std::vector<Xapian::doccount> freqs;
};
std::shared_ptr<const Vocabulary> load_vocabulary(const Xapian::Database& db);

// `vocabulary`: the database's, or null to walk its term list.
Result run_query(const Xapian::Database& db, const Schema& schema, const Query& query,
                 const Xapian::Stem& stem, const Vocabulary* vocabulary = nullptr);
std::string suggest_text(const Xapian::Database& db, const std::vector<Clause>& clauses);

}  // namespace famigo::search::xapian_detail
