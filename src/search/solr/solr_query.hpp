// How the Solr backend names fields and writes a search::Query as Solr
// request parameters (Lucene syntax), by the same rules as the Xapian
// backend's query (search/analyze.hpp). Private to the Solr backend.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "search/analyze.hpp"
#include "search/index.hpp"

namespace famigo::search::solr_detail {

using Params = std::vector<std::pair<std::string, std::string>>;

// The ranking prior is stored already scaled, in this field.
inline constexpr const char* kPriorField = "prior_d";
// Which rebuild wrote a document (Rebuild::finish deletes the others).
inline constexpr const char* kBuildField = "build_s";

// A Lucene term or phrase, quoted with \ and " escaped.
std::string quoted(const std::string& text);

// Solr's JSON document for `doc` (text folded, fields suffixed).
std::string document_json(const Document& doc, const std::string& build);

// /select parameters for the query (q, fq, sort, start, rows, facets).
Params select_params(const Schema& schema, const Query& query);

}  // namespace famigo::search::solr_detail
