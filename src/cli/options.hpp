// Command-line handling shared by the subcommands: a small flag parser and the
// loading of configuration from --config, FAMIGO_CONFIG, the environment and
// --set/--listen style flags.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"

namespace famigo::cli {

// Flags of one subcommand: "--name value", "--name=value" and boolean "--name".
class Args {
  public:
    Args(int argc, char** argv);                              // argv[0] is the subcommand name
    bool flag(std::string_view name);                         // consumes a boolean flag
    std::optional<std::string> value(std::string_view name);  // consumes "--name V"; last wins
    std::vector<std::string> values(std::string_view name);   // every "--name V", in order
    std::vector<std::string> positional();                    // consumes what is not a flag
    // Throws UsageError if anything was not consumed.
    void finish() const;

  private:
    std::vector<std::string> items_;
    std::vector<bool> used_;
};

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Every component's keys, in one schema.
config::Schema full_schema();

// Reads --config and every --set KEY=VALUE from args, plus FAMIGO_CONFIG and
// FAMIGO_SECTION__KEY variables, and loads the configuration. `extra` holds
// command-specific flags already turned into overrides (e.g. --listen).
config::Config load_config(Args& args, char** envp, std::vector<config::Override> extra = {});

}  // namespace famigo::cli
