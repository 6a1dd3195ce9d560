// Configuration: a schema of known keys (each component declares its own, with a
// default and a line of help), and the loaded values with where each came from.
// Precedence, lowest to highest: schema default, TOML file, FAMIGO_* environment
// (FAMIGO_SECTION__KEY for section.key), command-line flags. An unknown key or a
// value of the wrong shape stops loading with a ConfigError naming key and origin.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace famigo::config {

enum class Kind {
    String,
    Integer,     // TOML integer
    Size,        // bytes: an integer or "16KiB", "4MiB"
    DurationMs,  // milliseconds: an integer or "250ms", "30s", "5m"
    Boolean,
    StringList,  // TOML array of strings; comma-separated in env and flags
};

using Value = std::variant<std::string, std::int64_t, bool, std::vector<std::string>>;

struct Key {
    std::string name;  // "server.listen"
    Kind kind;
    std::string default_text;  // written as it would be in an env variable
    std::string help;
    // Optional extra validation; returns an error text, or nullopt when the value is fine.
    std::function<std::optional<std::string>(const Value&)> check;
    // A secret (signing keys, passwords): describe() shows only its length.
    bool secret = false;
};

class Schema {
  public:
    Schema& add(Key key);
    const Key* find(std::string_view name) const;
    const std::vector<Key>& keys() const { return keys_; }

  private:
    std::vector<Key> keys_;
};

// One value given by text from outside the file: an environment variable or a flag.
struct Override {
    std::string key;
    std::string value;
    std::string origin;  // "env FAMIGO_SERVER__LISTEN", "flag --listen"
};

struct Sources {
    std::optional<std::filesystem::path> file;
    std::vector<Override> overrides;  // applied in order, after the file
};

// Turns FAMIGO_SECTION__KEY=value pairs into overrides (section.key). Variables
// without "__" (FAMIGO_CONFIG, FAMIGO_REQUIRE_SERVICES...) are not config keys.
std::vector<Override> overrides_from_environment(char** envp);

class Config {
  public:
    static Config load(const Schema& schema, const Sources& sources);

    const std::string& str(std::string_view key) const;
    std::int64_t integer(std::string_view key) const;  // Integer, Size and DurationMs keys
    bool boolean(std::string_view key) const;
    const std::vector<std::string>& list(std::string_view key) const;
    const std::string& origin(std::string_view key) const;

    // Every key with its effective value and origin, one per line, sorted;
    // secret keys show "(hidden, N characters)" instead of their value.
    std::string describe() const;

  private:
    struct Entry {
        const Key* key;
        Value value;
        std::string origin;
    };
    const Entry& entry(std::string_view key) const;
    std::map<std::string, Entry, std::less<>> entries_;
};

// Parses text for a key of the given kind; throws ConfigError naming key and origin.
Value parse_value(const Key& key, std::string_view text, const std::string& origin);

// Checks for Key::check on Integer, Size and DurationMs keys.
std::optional<std::string> positive(const Value& value);      // greater than 0
std::optional<std::string> not_negative(const Value& value);  // 0 or more

}  // namespace famigo::config
