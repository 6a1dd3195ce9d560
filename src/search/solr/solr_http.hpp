// A small libcurl client for one Solr core: POSTs a body and returns Solr's
// JSON answer, keeping a few easy handles (and so their connections) for
// reuse. Private to the Solr backend.
#pragma once

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace famigo::search::solr_detail {

class SolrHttp {
  public:
    SolrHttp(std::string base, std::chrono::milliseconds timeout);
    ~SolrHttp();
    SolrHttp(const SolrHttp&) = delete;
    SolrHttp& operator=(const SolrHttp&) = delete;

    // POSTs to base + path; throws Unavailable when Solr cannot be reached or
    // fails (5xx), search::Error when it refuses the request (4xx).
    nlohmann::json post(const std::string& path, const std::string& body,
                        const std::string& content_type);
    // application/x-www-form-urlencoded body of the pairs.
    std::string form(const std::vector<std::pair<std::string, std::string>>& params);
    const std::string& base() const { return base_; }

  private:
    void* take();
    void give(void* handle);

    std::string base_;
    std::chrono::milliseconds timeout_;
    std::mutex mutex_;
    std::vector<void*> idle_;  // CURL*
};

}  // namespace famigo::search::solr_detail
