// Routes that exist only for tests and drills, enabled by debug.test_routes
// (off by default; `famigo config check` shows it). They let the integration
// tests exercise the server with a slow view, a failing view and a body echo.
//   /_debug/sleep?ms=N   waits N ms (at most 60 s) on the worker pool
//   /_debug/error        throws, to show the 500 page
//   /_debug/echo         answers the request body (POST)
#pragma once

#include "core/config.hpp"
#include "http/router.hpp"

namespace famigo::ops {

void define_debug_config(config::Schema& schema);
void install_debug_routes(http::Router& router);

}  // namespace famigo::ops
