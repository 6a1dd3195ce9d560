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
// stem, P a prefix of a title word (its first 1..kTitlePrefixLetters letters,
// without weight: search as you type reads one posting list instead of an
// expansion over the vocabulary), K<field>=<value> a keyword, Q<id> the
// document's id.
// Value slots: 0 the ranking prior, then one per keyword field, then one per
// number field, in schema order.
inline constexpr Xapian::valueno kPriorSlot = 0;
inline constexpr std::size_t kTitlePrefixLetters = 12;

// Document ids in prior order. An index whose metadata kOrderKey is
// kOrderPriorBands places each document in one of kPriorBands bands of ids by
// its prior (band 0: the highest), and its prior value is a function of its id
// that decreases as the id grows (prior_of_docid). A match that ranks by the
// prior alone can then stop after its first page (Xapian's
// DecreasingValueWeightPostingSource): autocomplete at 1M apps reads a few
// dozen postings instead of every app with the typed prefix. Indexes built
// before this carry no such key and are read the old way until a reindex.
inline constexpr const char* kOrderKey = "famigo.docid_order";
inline constexpr const char* kOrderPriorBands = "prior-bands-1";
inline constexpr unsigned kPriorBands = 256;
inline constexpr Xapian::docid kBandSize = Xapian::docid(1) << 23;  // ids per band
unsigned prior_band(double prior);
// The prior value stored for the document at `docid` (0..kPriorWeight).
double prior_of_docid(Xapian::docid docid);
// Where the next document of each band goes: the metadata key of its counter.
std::string band_key(unsigned band);
Xapian::valueno keyword_slot(const Schema& schema, const std::string& field);
Xapian::valueno number_slot(const Schema& schema, const std::string& field);
std::string keyword_term(const std::string& field, const std::string& value);

// The Xapian document of `doc`; the words worth a spelling entry go to `spelling`.
// `docid`: where it goes in a banded index (its prior value follows from it),
// 0 for an index without bands (the prior value is the document's prior).
Xapian::Document make_document(const Schema& schema, const Document& doc, const Xapian::Stem& stem,
                               std::vector<std::string>& spelling, Xapian::docid docid = 0);

// Every indexed word of one revision of the index, sorted, with its document
// frequency: the typo and prefix scans read it instead of walking Xapian's
// term list, which cost most of a query's CPU (about 0.5 ms per scanned
// letter on the demo catalog). The index keeps one per revision.
struct Vocabulary {
    std::vector<std::string> words;  // without the "W" prefix
    std::vector<Xapian::doccount> freqs;
};
std::shared_ptr<const Vocabulary> load_vocabulary(const Xapian::Database& db);
bool has_prior_bands(const Xapian::Database& db);

// `vocabulary`: the database's, or null to walk its term list; `banded`:
// has_prior_bands(db).
Result run_query(const Xapian::Database& db, const Schema& schema, const Query& query,
                 const Xapian::Stem& stem, const Vocabulary* vocabulary = nullptr,
                 bool banded = false);
std::string suggest_text(const Xapian::Database& db, const std::vector<Clause>& clauses);

}  // namespace famigo::search::xapian_detail
