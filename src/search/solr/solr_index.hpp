// The scale-out search backend: an Apache Solr 9 core over its HTTP JSON API
// (`search.url = solr://host:8983/famigo` -> http://host:8983/solr/famigo),
// with our config set from conf/solr/. Text is folded by search/analyze.hpp
// before it is sent, so Solr cuts the same words Xapian does; the schema's
// dynamic fields (<name>_t stemmed, <name>_u as written, <name>_s keyword,
// <name>_d number) take any Schema without a change. libcurl is private to
// this folder.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "search/index.hpp"

namespace famigo::search {

// `base` is the core's URL, "http://host:port/solr/core". Nothing is sent
// until the first call, so a Solr that is down makes calls throw Unavailable,
// not start-up fail.
std::unique_ptr<Index> open_solr(const std::string& base, std::chrono::milliseconds timeout,
                                 Schema schema);

}  // namespace famigo::search
