#include "search/solr/solr_index.hpp"

#include <chrono>

#include "search/solr/solr_http.hpp"
#include "search/solr/solr_query.hpp"

namespace famigo::search {
namespace {

using namespace solr_detail;
using nlohmann::json;

constexpr const char* kJson = "application/json";
constexpr const char* kForm = "application/x-www-form-urlencoded";

std::string documents_json(std::span<const Document> documents, const std::string& build) {
    std::string body = "[";
    for (const auto& doc : documents) {
        if (body.size() > 1) body += ',';
        body += document_json(doc, build);
    }
    return body + "]";
}

class SolrIndex;

// Adds documents marked with this rebuild's token, uncommitted; finish()
// deletes every document without the token and commits once, so searchers
// switch from the old set to the new one in one commit.
class SolrRebuild : public Rebuild {
  public:
    SolrRebuild(const Index& owner, SolrHttp& http)
        : owner_(owner),
          http_(http),
          build_("b" +
                 std::to_string(std::chrono::system_clock::now().time_since_epoch().count())) {}
    void add(std::span<const Document> documents) override {
        owner_.check(documents);
        http_.post("/update?wt=json", documents_json(documents, build_), kJson);
    }
    void finish() override {
        json del = {{"delete", {{"query", std::string("*:* -") + kBuildField + ":" + build_}}}};
        http_.post("/update?wt=json", del.dump(), kJson);
        http_.post("/update?wt=json&commit=true", "{}", kJson);
    }

  private:
    const Index& owner_;
    SolrHttp& http_;
    std::string build_;
};

class SolrIndex : public Index {
  public:
    SolrIndex(const std::string& base, std::chrono::milliseconds timeout, Schema schema)
        : Index(std::move(schema)), http_(base, timeout) {}

    void upsert(std::span<const Document> documents) override {
        check(documents);
        if (documents.empty()) return;
        http_.post("/update?wt=json", documents_json(documents, ""), kJson);
    }

    void remove(std::span<const std::string> ids) override {
        if (ids.empty()) return;
        json del = {{"delete", json(std::vector<std::string>(ids.begin(), ids.end()))}};
        http_.post("/update?wt=json", del.dump(), kJson);
    }

    void commit() override { http_.post("/update?wt=json&commit=true", "{}", kJson); }

    Result query(const Query& q) override {
        check(q);
        try {
            return read(q);
        } catch (const json::exception& e) {
            throw Unavailable("Solr at " + http_.base() + " answered oddly: " + e.what());
        }
    }

    Result read(const Query& q) {
        json answer = http_.post("/select", http_.form(select_params(schema(), q)), kForm);
        Result result;
        const json& response = answer.at("response");
        result.total = response.at("numFound").get<std::uint64_t>();
        for (const auto& doc : response.at("docs"))
            result.ids.push_back(doc.at("id").get<std::string>());
        if (answer.contains("facet_counts")) {
            const json& fields = answer["facet_counts"]["facet_fields"];
            for (const auto& field : q.facets) {
                auto& values = result.facets[field];
                const json& flat = fields.at(field + "_s");
                for (std::size_t i = 0; i + 1 < flat.size(); i += 2)
                    values.push_back(
                        {flat[i].get<std::string>(), flat[i + 1].get<std::uint64_t>()});
            }
        }
        if (result.total < q.suggest_below && !parse(q.text).empty())
            result.suggestion = suggest(q.text);
        return result;
    }

    std::string suggest(const std::string& text) override {
        auto clauses = parse(text);
        std::vector<std::string> ws;
        for (const auto& c : clauses) ws.insert(ws.end(), c.words.begin(), c.words.end());
        if (ws.empty()) return {};
        // The spellcheck component (conf/solr/solrconfig.xml) corrects each
        // word not in the index, as Xapian's spelling table does.
        Params p = {{"q", "*:*"},
                    {"rows", "0"},
                    {"wt", "json"},
                    {"spellcheck", "true"},
                    {"spellcheck.q", join(ws)},
                    {"spellcheck.count", "1"},
                    {"json.nl", "map"}};
        json answer = http_.post("/select", http_.form(p), kForm);
        if (!answer.contains("spellcheck")) return {};
        const json& suggestions = answer["spellcheck"]["suggestions"];
        bool changed = false;
        for (auto& w : ws) {
            if (!suggestions.contains(w)) continue;
            const json& list = suggestions[w]["suggestion"];
            if (list.empty()) continue;
            const json& first = list[0];
            std::string better =
                first.is_string() ? first.get<std::string>() : first.value("word", std::string());
            if (!better.empty() && typo_budget(w) >= 0 &&
                edit_distance(w, better, std::max(1, typo_budget(w))) <=
                    std::max(1, typo_budget(w))) {
                w = better;
                changed = true;
            }
        }
        return changed ? join(ws) : std::string();
    }

    Stats stats() override {
        Params p = {{"q", "*:*"}, {"rows", "0"}, {"wt", "json"}};
        json answer = http_.post("/select", http_.form(p), kForm);
        return {answer.at("response").at("numFound").get<std::uint64_t>(), "solr"};
    }

    std::unique_ptr<Rebuild> rebuild() override {
        return std::make_unique<SolrRebuild>(*this, http_);
    }

    std::string describe() const override { return http_.base(); }

  private:
    mutable SolrHttp http_;
};

}  // namespace

std::unique_ptr<Index> open_solr(const std::string& base, std::chrono::milliseconds timeout,
                                 Schema schema) {
    return std::make_unique<SolrIndex>(base, timeout, std::move(schema));
}

}  // namespace famigo::search
