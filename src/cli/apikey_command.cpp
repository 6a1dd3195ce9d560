// `famigo apikey create NAME | list | revoke NAME`: the Sandbox API's client
// app keys (apps/families). A new key is printed once; the store keeps only
// its hash, so a lost key is revoked and replaced, never recovered.
#include <iostream>
#include <string>

#include "apps/families/families.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "docstore/config.hpp"
#include "docstore/errors.hpp"
#include "docstore/model.hpp"

namespace famigo::cli {

int cmd_apikey(int argc, char** argv, char** envp) {
    std::string action = argc > 1 ? argv[1] : "";
    if (action != "create" && action != "list" && action != "revoke")
        throw UsageError("expected `famigo apikey create NAME|list|revoke NAME`");
    Args args(argc - 1, argv + 1);
    config::Config config = load_config(args, envp);
    auto positional = args.positional();
    args.finish();
    if (positional.size() != (action == "list" ? 0U : 1U))
        throw UsageError(action == "list" ? "`apikey list` takes no NAME" : "expected one NAME");

    auto store = docstore::open_store(docstore::store_options(config));
    docstore::ModelRegistry models;
    apps::families::register_models(models);
    docstore::migrate(*store, models);
    // API keys do not use the referral address key.
    apps::families::Families families(*store, "");

    if (action == "create") {
        try {
            auto made = families.create_api_key(positional[0]);
            std::cout << made.secret << "\n";
            std::cerr << "created API key '" << made.key.name
                      << "'; it is shown only now (the store keeps its hash)\n";
        } catch (const docstore::ValidationError&) {
            throw UsageError("NAME must be 1 to 64 letters, digits, '.', '_' or '-'");
        } catch (const docstore::DuplicateKey&) {
            std::cerr << "famigo apikey: '" << positional[0] << "' already exists\n";
            return 1;
        }
        return 0;
    }
    if (action == "list") {
        for (const auto& key : families.api_keys())
            std::cout << key.name << "\t" << key.prefix << "...\t" << key.created_at << "\t"
                      << (key.revoked ? "revoked" : "active") << "\n";
        return 0;
    }
    if (!families.revoke_api_key(positional[0])) {
        std::cerr << "famigo apikey: no key '" << positional[0] << "'\n";
        return 1;
    }
    std::cout << "revoked API key '" << positional[0] << "'\n";
    return 0;
}

}  // namespace famigo::cli
