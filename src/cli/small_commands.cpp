// The small subcommands: check, config, version.
#include <fstream>
#include <iostream>

#include "assets/collect.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/schema.hpp"
#include "ops/check.hpp"
#include "web/security/deploy_check.hpp"
#include "web/template/render_cli.hpp"

#ifndef FAMIGO_VERSION
#define FAMIGO_VERSION "unknown"
#endif

namespace famigo::cli {
namespace {

double number_flag(Args& args, std::string_view name, double fallback) {
    auto text = args.value(name);
    if (!text) return fallback;
    try {
        size_t used = 0;
        double value = std::stod(*text, &used);
        if (used != text->size()) throw std::invalid_argument("trailing text");
        return value;
    } catch (const std::exception&) {
        throw UsageError(std::string(name) + " takes a number, got '" + *text + "'");
    }
}

}  // namespace

int cmd_check(int argc, char** argv, char** envp) {
    if (argc > 1 && (std::string_view(argv[1]) == "queue" || std::string_view(argv[1]) == "backup"))
        return cmd_check_tasks(argc, argv, envp);  // check_commands.cpp
    Args args(argc, argv);
    ops::CheckOptions options;
    try {
        auto url = args.value("--url");
        if (!url) throw UsageError("--url is required");
        options.url = *url;
        options.warn_ms = number_flag(args, "--warn-ms", options.warn_ms);
        options.crit_ms = number_flag(args, "--crit-ms", options.crit_ms);
        options.timeout_ms = number_flag(args, "--timeout-ms", options.timeout_ms);
        options.expect_status = int(number_flag(args, "--expect-status", options.expect_status));
        if (auto token_file = args.value("--bearer-token-file")) {
            // A file, not a flag: command lines are visible to every local user.
            std::ifstream in(*token_file);
            if (!std::getline(in, options.bearer_token) || options.bearer_token.empty())
                throw UsageError("--bearer-token-file: cannot read a token from '" + *token_file +
                                 "'");
        }
        args.finish();
    } catch (const UsageError& e) {
        // Nagios reads exit 3 as UNKNOWN: a misconfigured check is not a down service.
        std::cout << "HTTP UNKNOWN - " << e.what() << "\n";
        return ops::kUnknown;
    }
    return ops::run_check(options, std::cout);
}

int cmd_config(int argc, char** argv, char** envp) {
    std::string_view action = argc > 1 ? argv[1] : "";
    if (action != "check" && action != "keys")
        throw UsageError("expected `famigo config check` or `famigo config keys`");
    Args args(argc - 1, argv + 1);
    if (action == "keys") {
        args.finish();
        const config::Schema schema = full_schema();
        for (const auto& key : schema.keys())
            std::cout << key.name << " = " << key.default_text << "\n    " << key.help << "\n";
        return 0;
    }
    const bool deploy = args.flag("--deploy");
    const auto fail_level = args.value("--fail-level");
    config::Config config = load_config(args, envp);
    args.finish();
    if (fail_level && *fail_level != "warning" && *fail_level != "error")
        throw UsageError("--fail-level takes warning or error, got '" + *fail_level + "'");
    if (fail_level && !deploy) throw UsageError("--fail-level goes with --deploy");
    std::cout << config.describe() << "configuration OK\n";
    if (!deploy) return 0;
    std::cout << "\n";
    size_t issues = web::security::print_deploy_check(config, std::cout);
    // Every deploy finding is a warning, so only --fail-level warning turns them into exit 1.
    return issues > 0 && fail_level == "warning" ? 1 : 0;
}

int cmd_collectstatic(int argc, char** argv, char** envp) {
    Args args(argc, argv);
    config::Config config = load_config(args, envp);
    args.finish();
    return assets::run_collectstatic(config, std::cout, std::cerr);
}

int cmd_render(int argc, char** argv, char** envp) {
    Args args(argc, argv);
    std::string context = args.value("--context").value_or("{}");
    std::vector<std::string> dirs = args.values("--dir");
    config::Config config = load_config(args, envp);
    auto names = args.positional();
    args.finish();
    if (names.size() != 1) throw UsageError("expected one template NAME");
    if (dirs.empty()) dirs = config.list("templates.dirs");
    return web::tmpl::run_render(names[0], context, dirs, std::cout, std::cerr);
}

int cmd_version(int argc, char** argv, char**) {
    Args args(argc, argv);
    args.finish();
    std::cout << "famigo " << FAMIGO_VERSION << "\n";
    return 0;
}

}  // namespace famigo::cli
