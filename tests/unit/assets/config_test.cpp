#include <gtest/gtest.h>

#include "assets/options.hpp"
#include "core/error.hpp"

namespace famigo::assets {
namespace {

config::Config load(std::vector<config::Override> overrides) {
    config::Schema schema;
    define_config(schema);
    config::Sources sources;
    sources.overrides = std::move(overrides);
    return config::Config::load(schema, sources);
}

TEST(AssetConfig, Defaults) {
    AssetOptions options = asset_options(load({}));
    EXPECT_EQ(options.source, "static");
    EXPECT_EQ(options.build_dir, "var/static");
    EXPECT_EQ(options.url, "/static/");
    EXPECT_EQ(options.cdn_url, "");
    EXPECT_EQ(options.memory_max_file, 32u * 1024);
    EXPECT_EQ(options.max_age.count(), 300);
}

TEST(AssetConfig, EveryKeyHasHelp) {
    config::Schema schema;
    define_config(schema);
    EXPECT_EQ(schema.keys().size(), 6u);
    for (const auto& key : schema.keys()) EXPECT_FALSE(key.help.empty()) << key.name;
}

TEST(AssetConfig, OverridesAndNormalisation) {
    AssetOptions options = asset_options(load({
        {"static.url", "/assets", "flag"},
        {"static.cdn_url", "https://cdn.example.com/s", "flag"},
        {"static.memory_max_file", "1MiB", "flag"},
        {"static.max_age", "1h", "flag"},
    }));
    EXPECT_EQ(options.url, "/assets/");
    EXPECT_EQ(options.cdn_url, "https://cdn.example.com/s/");
    EXPECT_EQ(options.memory_max_file, 1024u * 1024);
    EXPECT_EQ(options.max_age.count(), 3600);
}

TEST(AssetConfig, RejectsBadValues) {
    EXPECT_THROW(load({{"static.url", "static/", "flag"}}), ConfigError);
    EXPECT_THROW(load({{"static.url", "//cdn/", "flag"}}), ConfigError);
    EXPECT_THROW(load({{"static.cdn_url", "cdn.example.com", "flag"}}), ConfigError);
    EXPECT_THROW(load({{"static.source", "", "flag"}}), ConfigError);
}

}  // namespace
}  // namespace famigo::assets
