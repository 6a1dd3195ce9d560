// A real Solr for the search tests, started once per test binary through
// tests/env/solr/run on a free loopback port (about 10 s) and stopped at exit.
// When the launcher is not built the Solr tests skip with the reason, or fail
// under FAMIGO_REQUIRE_SERVICES=1 (CI).
#pragma once

#include <string>

namespace famigo::testing {

// "solr://127.0.0.1:<port>/famigo", or "" with `error` set.
std::string solr_url(std::string& error);
bool services_required();

}  // namespace famigo::testing
