// search::Index, the one interface of site search (DESIGN.md §2), with two
// backends chosen by `search.url` (search/factory.hpp): Xapian embedded in this
// process (`xapian://var/search`) and a Solr server (`solr://host:8983/core`).
// Documents are generic: named text fields (searched, each with a weight from
// the Schema), keyword fields (exact values to filter and facet on, one value
// each) and number fields (to sort on), plus a ranking prior. The catalog maps
// its apps onto them; this layer knows nothing about apps.
//
// Both backends answer a query the same way (docs/search.md): words in any
// order, documents matching every word first; the last word also as a prefix;
// typos tolerated (one edit in words of 5+ letters, two in 9+); case, accents
// and punctuation folded; English stemming; "quoted phrases". search/analyze.hpp
// holds the rules they share.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace famigo::search {

class Error : public famigo::Error {
  public:
    using famigo::Error::Error;
};

// The index cannot be reached or opened (Solr down, a locked or missing Xapian
// folder): the search page says so and the API answers 503; nothing else fails.
class Unavailable : public Error {
  public:
    using Error::Error;
};

// What fields documents have. Names are [a-z0-9_]+; the Solr config set maps
// them to dynamic fields (<name>_t, <name>_s, <name>_d), so adding one needs no
// schema change.
struct Schema {
    struct TextField {
        std::string name;
        int weight = 1;  // 1..10: how much a match in this field counts
    };
    std::vector<TextField> text;        // the first one is the title: autocomplete, spelling
    std::vector<std::string> keywords;  // filterable, facetable
    std::vector<std::string> numbers;   // sortable
};

struct Document {
    std::string id;
    std::map<std::string, std::string> text;
    std::map<std::string, std::string> keywords;
    std::map<std::string, double> numbers;
    // 0..1, ranks documents whose text matches equally well (the catalog:
    // APProved, then popularity). It never outweighs a better text match.
    double prior = 0;
};

struct Query {
    std::string text;  // "" = every document (filters still apply)
    // field -> accepted values (any of them); every field must match.
    std::map<std::string, std::vector<std::string>> filters;
    std::vector<std::string> facets;  // keyword fields to count values of
    std::string sort;                 // "" = relevance; "rating" / "-rating": a number field
    std::size_t offset = 0;
    std::size_t limit = 20;
    // A spelling suggestion is looked for when fewer than this many documents match.
    std::size_t suggest_below = 5;
};

struct FacetValue {
    std::string value;
    std::uint64_t count = 0;
    bool operator==(const FacetValue&) const = default;
};

struct Result {
    std::vector<std::string> ids;                           // this page, best first
    std::uint64_t total = 0;                                // every match
    std::map<std::string, std::vector<FacetValue>> facets;  // by field, most frequent first
    std::string suggestion;  // "" or the query with its words corrected ("did you mean")
};

struct Stats {
    std::uint64_t documents = 0;
    std::string generation;  // which build of the index is being read
};

// A new index being built next to the current one (`famigo reindex`); finish()
// makes it current in one step, so readers see the old index or the new one,
// never a mix. Dropped unfinished, it is discarded.
class Rebuild {
  public:
    virtual ~Rebuild() = default;
    virtual void add(std::span<const Document> documents) = 0;
    virtual void finish() = 0;
};

class Index {
  public:
    virtual ~Index() = default;
    Index(const Index&) = delete;
    Index& operator=(const Index&) = delete;

    // Adds or replaces documents by id; visible after commit().
    virtual void upsert(std::span<const Document> documents) = 0;
    virtual void remove(std::span<const std::string> ids) = 0;
    virtual void commit() = 0;

    virtual Result query(const Query& query) = 0;
    // The text with misspelt words replaced by the closest indexed word, or ""
    // when nothing better is known.
    virtual std::string suggest(const std::string& text) = 0;
    virtual Stats stats() = 0;
    virtual std::unique_ptr<Rebuild> rebuild() = 0;

    const Schema& schema() const { return schema_; }
    // "xapian://var/search" or the Solr core's URL, for logs and /readyz.
    virtual std::string describe() const = 0;

    // Throws Error when a document names a field the schema lacks, or a query
    // filters, facets or sorts on one.
    void check(std::span<const Document> documents) const;
    void check(const Query& query) const;

  protected:
    explicit Index(Schema schema) : schema_(std::move(schema)) {}

  private:
    Schema schema_;
};

}  // namespace famigo::search
