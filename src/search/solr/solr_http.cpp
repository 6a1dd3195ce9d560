#include "search/solr/solr_http.hpp"

#include <curl/curl.h>

#include "search/index.hpp"

namespace famigo::search::solr_detail {
namespace {

constexpr std::size_t kIdleHandles = 16;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

SolrHttp::SolrHttp(std::string base, std::chrono::milliseconds timeout)
    : base_(std::move(base)), timeout_(timeout) {
    global_init();
}

SolrHttp::~SolrHttp() {
    for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* SolrHttp::take() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            void* h = idle_.back();
            idle_.pop_back();
            return h;
        }
    }
    CURL* h = curl_easy_init();
    if (!h) throw Unavailable("cannot make a libcurl handle");
    return h;
}

void SolrHttp::give(void* handle) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < kIdleHandles)
        idle_.push_back(handle);
    else
        curl_easy_cleanup(static_cast<CURL*>(handle));
}

std::string SolrHttp::form(const std::vector<std::pair<std::string, std::string>>& params) {
    CURL* h = static_cast<CURL*>(take());
    std::string out;
    for (const auto& [name, value] : params) {
        char* v = curl_easy_escape(h, value.data(), int(value.size()));
        if (!out.empty()) out += '&';
        out += name + "=" + (v ? v : "");
        curl_free(v);
    }
    give(h);
    return out;
}

nlohmann::json SolrHttp::post(const std::string& path, const std::string& body,
                              const std::string& content_type) {
    CURL* h = static_cast<CURL*>(take());
    std::string url = base_ + path, answer;
    std::string header = "Content-Type: " + content_type;
    curl_slist* headers = curl_slist_append(nullptr, header.c_str());
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.size()));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, long(timeout_.count()));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, long(timeout_.count()));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    give(h);
    if (rc != CURLE_OK) throw Unavailable("Solr at " + base_ + ": " + curl_easy_strerror(rc));
    auto json = nlohmann::json::parse(answer, nullptr, false);
    std::string message = "HTTP " + std::to_string(status);
    if (json.is_object() && json.contains("error") && json["error"].contains("msg"))
        message += ": " + json["error"]["msg"].get<std::string>();
    if (status >= 500 || status == 404 || json.is_discarded())
        throw Unavailable("Solr at " + base_ + " failed: " + message);
    if (status >= 400) throw Error("Solr at " + base_ + " refused a request: " + message);
    return json;
}

}  // namespace famigo::search::solr_detail
