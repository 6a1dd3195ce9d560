#include "core/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"

using namespace famigo;
using namespace famigo::config;

namespace {

Schema test_schema() {
    Schema schema;
    schema.add({"server.listen", Kind::String, "127.0.0.1:8000", "address", {}})
        .add({"server.workers", Kind::Integer, "16", "workers",
              [](const Value& v) -> std::optional<std::string> {
                  if (std::get<std::int64_t>(v) <= 0) return "must be greater than 0";
                  return std::nullopt;
              }})
        .add({"server.max_body_bytes", Kind::Size, "10MiB", "body", {}})
        .add({"server.header_timeout", Kind::DurationMs, "10s", "timeout", {}})
        .add({"http.allowed_hosts", Kind::StringList, "localhost,127.0.0.1", "hosts", {}})
        .add({"cache.enabled", Kind::Boolean, "true", "cache", {}});
    return schema;
}

std::filesystem::path write_toml(const std::string& text) {
    auto path =
        std::filesystem::temp_directory_path() /
        ("famigo_config_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml");
    std::ofstream(path) << text;
    return path;
}

std::string load_error(const Schema& schema, const Sources& sources) {
    try {
        Config::load(schema, sources);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Config, DefaultsApplyWithoutSources) {
    auto schema = test_schema();
    auto config = Config::load(schema, {});
    EXPECT_EQ(config.str("server.listen"), "127.0.0.1:8000");
    EXPECT_EQ(config.integer("server.max_body_bytes"), 10 * 1024 * 1024);
    EXPECT_EQ(config.integer("server.header_timeout"), 10000);
    EXPECT_EQ(config.list("http.allowed_hosts").size(), 2u);
    EXPECT_TRUE(config.boolean("cache.enabled"));
    EXPECT_EQ(config.origin("server.listen"), "default");
}

TEST(Config, FileThenEnvironmentThenFlagsInOrder) {
    auto schema = test_schema();
    auto path = write_toml(
        "[server]\nlisten = \"0.0.0.0:9000\"\nworkers = 4\nmax_body_bytes = \"1MiB\"\n"
        "header_timeout = 250\n[http]\nallowed_hosts = [\"a.example\", \".famigo.com\"]\n");
    Sources sources;
    sources.file = path;
    sources.overrides.push_back({"server.workers", "8", "env FAMIGO_SERVER__WORKERS"});
    sources.overrides.push_back({"server.workers", "12", "flag --set server.workers"});
    auto config = Config::load(schema, sources);
    EXPECT_EQ(config.str("server.listen"), "0.0.0.0:9000");
    EXPECT_EQ(config.origin("server.listen"), path.string() + ":2");
    EXPECT_EQ(config.integer("server.workers"), 12);
    EXPECT_EQ(config.origin("server.workers"), "flag --set server.workers");
    EXPECT_EQ(config.integer("server.max_body_bytes"), 1024 * 1024);
    EXPECT_EQ(config.integer("server.header_timeout"), 250);
    EXPECT_EQ(config.list("http.allowed_hosts")[1], ".famigo.com");
    std::filesystem::remove(path);
}

TEST(Config, UnknownFileKeyNamesKeyAndLine) {
    auto schema = test_schema();
    auto path = write_toml("[server]\nlisten = \"x:1\"\nlisen = \"typo\"\n");
    Sources sources;
    sources.file = path;
    std::string error = load_error(schema, sources);
    EXPECT_NE(error.find("'server.lisen'"), std::string::npos) << error;
    EXPECT_NE(error.find(path.string() + ":3"), std::string::npos) << error;
    EXPECT_NE(error.find("unknown key"), std::string::npos) << error;
    std::filesystem::remove(path);
}

TEST(Config, WrongTypeInFileIsRefused) {
    auto schema = test_schema();
    auto path = write_toml("[server]\nworkers = \"many\"\n");
    Sources sources;
    sources.file = path;
    std::string error = load_error(schema, sources);
    EXPECT_NE(error.find("'server.workers'"), std::string::npos) << error;
    EXPECT_NE(error.find("an integer"), std::string::npos) << error;
    std::filesystem::remove(path);
}

TEST(Config, BadValuesFromEnvironmentNameTheVariable) {
    auto schema = test_schema();
    Sources sources;
    sources.overrides.push_back(
        {"server.max_body_bytes", "lots", "env FAMIGO_SERVER__MAX_BODY_BYTES"});
    std::string error = load_error(schema, sources);
    EXPECT_NE(error.find("env FAMIGO_SERVER__MAX_BODY_BYTES"), std::string::npos) << error;
    EXPECT_NE(error.find("'lots'"), std::string::npos) << error;
}

TEST(Config, ChecksRunOnEveryOrigin) {
    auto schema = test_schema();
    Sources sources;
    sources.overrides.push_back({"server.workers", "0", "flag --set server.workers"});
    std::string error = load_error(schema, sources);
    EXPECT_NE(error.find("must be greater than 0"), std::string::npos) << error;
}

TEST(Config, UnknownOverrideKeyIsRefused) {
    auto schema = test_schema();
    Sources sources;
    sources.overrides.push_back({"server.nope", "1", "env FAMIGO_SERVER__NOPE"});
    EXPECT_NE(load_error(schema, sources).find("unknown key"), std::string::npos);
}

TEST(Config, MalformedTomlReportsLine) {
    auto schema = test_schema();
    auto path = write_toml("[server]\nlisten = \n");
    Sources sources;
    sources.file = path;
    std::string error = load_error(schema, sources);
    EXPECT_NE(error.find(":2"), std::string::npos) << error;
    std::filesystem::remove(path);
}

TEST(Config, EnvironmentVariablesMapToKeys) {
    std::string a = "FAMIGO_SERVER__LISTEN=0.0.0.0:80", b = "FAMIGO_CONFIG=/etc/famigo.toml",
                c = "PATH=/bin", d = "FAMIGO_HTTP__ALLOWED_HOSTS=a,b";
    char* env[] = {a.data(), b.data(), c.data(), d.data(), nullptr};
    auto overrides = overrides_from_environment(env);
    ASSERT_EQ(overrides.size(), 2u);
    EXPECT_EQ(overrides[0].key, "server.listen");
    EXPECT_EQ(overrides[0].value, "0.0.0.0:80");
    EXPECT_EQ(overrides[0].origin, "env FAMIGO_SERVER__LISTEN");
    EXPECT_EQ(overrides[1].key, "http.allowed_hosts");
}

TEST(Config, BooleansAndDurationsParseCommonSpellings) {
    auto schema = test_schema();
    Sources sources;
    sources.overrides.push_back({"cache.enabled", "off", "flag"});
    sources.overrides.push_back({"server.header_timeout", "2m", "flag"});
    auto config = Config::load(schema, sources);
    EXPECT_FALSE(config.boolean("cache.enabled"));
    EXPECT_EQ(config.integer("server.header_timeout"), 120000);
}

TEST(Config, SecretValuesAreHiddenByDescribe) {
    Schema schema;
    schema.add({"app.password", Kind::String, "", "a secret", {}, /*secret=*/true})
        .add({"app.name", Kind::String, "famigo", "not a secret", {}});
    Sources sources;
    sources.overrides.push_back({"app.password", "hunter2", "flag"});
    auto config = Config::load(schema, sources);
    EXPECT_EQ(config.str("app.password"), "hunter2");  // code still reads it
    std::string text = config.describe();
    EXPECT_EQ(text.find("hunter2"), std::string::npos);
    EXPECT_NE(text.find("app.password = (hidden, 7 characters)    # flag"), std::string::npos)
        << text;
    EXPECT_NE(text.find("app.name = famigo"), std::string::npos);
}
