// How the Xapian backend lays out a document (terms, values) and turns a
// search::Query into a Xapian query, by the rules of search/analyze.hpp.
// Private to the backend's folder: it names Xapian types.
#pragma once

#include <xapian.h>

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

Result run_query(const Xapian::Database& db, const Schema& schema, const Query& query,
                 const Xapian::Stem& stem);
std::string suggest_text(const Xapian::Database& db, const std::vector<Clause>& clauses);

}  // namespace famigo::search::xapian_detail
