// collectstatic: turns the source asset folder into the build folder the
// server serves in production. Every file is copied under its plain name and
// under a content-fingerprinted name (css/site.1a2b3c4d5e6f.css) that can be
// cached for a year; url() and @import references inside CSS are rewritten to
// fingerprinted names first, so a stylesheet's fingerprint covers what it
// points to; compressible files get .gz and .br variants when those are
// smaller; manifest.json maps logical names to fingerprinted ones. Re-running
// it with unchanged sources changes nothing on disk. Fingerprinted files of
// earlier runs are kept, so pages still cached elsewhere keep working during a
// rolling deploy.
#pragma once

#include <cstddef>
#include <ostream>

#include "assets/manifest.hpp"
#include "assets/options.hpp"
#include "core/config.hpp"

namespace famigo::assets {

struct CollectReport {
    size_t files = 0;       // source files collected
    size_t written = 0;     // output files created or replaced (incl. variants, manifest)
    size_t unchanged = 0;   // output files already up to date
    size_t variants = 0;    // .gz/.br files present for this run's outputs
    size_t references = 0;  // CSS references rewritten to fingerprinted names
    Manifest manifest;      // what manifest.json now says
};

// Throws famigo::Error (before writing anything) when the source folder is
// missing, overlaps the build folder, or holds a symlink that points out of it.
CollectReport collect(const AssetOptions& options, std::ostream& progress);

// `famigo collectstatic`: runs collect() with the configured options; returns
// the process exit code (0, or 1 with the reason on `err`).
int run_collectstatic(const config::Config& config, std::ostream& out, std::ostream& err);

}  // namespace famigo::assets
