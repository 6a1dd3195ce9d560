#include "core/config.hpp"

#include <toml++/toml.h>

#include <cstring>
#include <sstream>

#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"

namespace famigo::config {
namespace {

[[noreturn]] void fail(const std::string& key, const std::string& origin, const std::string& why) {
    throw ConfigError("config key '" + key + "' (from " + origin + "): " + why);
}

const char* kind_name(Kind kind) {
    switch (kind) {
        case Kind::String:
            return "a string";
        case Kind::Integer:
            return "an integer";
        case Kind::Size:
            return "a size (bytes, or like 16KiB)";
        case Kind::DurationMs:
            return "a duration (milliseconds, or like 30s)";
        case Kind::Boolean:
            return "true or false";
        case Kind::StringList:
            return "a list of strings";
    }
    return "a value";
}

std::string format_value(const Value& value) {
    struct Visitor {
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(std::int64_t n) const { return std::to_string(n); }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(const std::vector<std::string>& list) const {
            std::string out;
            for (const auto& item : list) out += (out.empty() ? "" : ",") + item;
            return out;
        }
    };
    return std::visit(Visitor{}, value);
}

void run_check(const Key& key, const Value& value, const std::string& origin) {
    if (!key.check) return;
    if (auto problem = key.check(value)) fail(key.name, origin, *problem);
}

[[noreturn]] void wrong_kind(const Key& key, const std::string& origin) {
    fail(key.name, origin, std::string("expected ") + kind_name(key.kind));
}

// Reads one TOML leaf into a Value of the key's kind.
Value from_toml(const Key& key, const toml::node& node, const std::string& origin) {
    switch (key.kind) {
        case Kind::String:
            if (auto s = node.value<std::string>(); s && node.is_string()) return *s;
            wrong_kind(key, origin);
        case Kind::Integer:
            if (node.is_integer()) return *node.value<std::int64_t>();
            wrong_kind(key, origin);
        case Kind::Size:
        case Kind::DurationMs:
            if (node.is_integer()) return *node.value<std::int64_t>();
            if (node.is_string()) return parse_value(key, *node.value<std::string>(), origin);
            wrong_kind(key, origin);
        case Kind::Boolean:
            if (node.is_boolean()) return *node.value<bool>();
            wrong_kind(key, origin);
        case Kind::StringList: {
            const auto* array = node.as_array();
            if (!array) wrong_kind(key, origin);
            std::vector<std::string> items;
            for (const auto& item : *array) {
                if (!item.is_string()) wrong_kind(key, origin);
                items.push_back(*item.value<std::string>());
            }
            return items;
        }
    }
    wrong_kind(key, origin);
}

}  // namespace

std::optional<std::int64_t> parse_duration_ms(std::string_view text) {
    text = strings::trim(text);
    size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    auto number = strings::parse_i64(text.substr(0, digits));
    if (!number) return std::nullopt;
    std::string unit = strings::to_lower(strings::trim(text.substr(digits)));
    std::int64_t factor;
    if (unit.empty() || unit == "ms")
        factor = 1;
    else if (unit == "s")
        factor = 1000;
    else if (unit == "m")
        factor = 60 * 1000;
    else if (unit == "h")
        factor = 3600 * 1000;
    else
        return std::nullopt;
    if (*number > INT64_MAX / factor) return std::nullopt;
    return *number * factor;
}

Schema& Schema::add(Key key) {
    if (find(key.name)) throw Error("config key declared twice: " + key.name);
    keys_.push_back(std::move(key));
    return *this;
}

const Key* Schema::find(std::string_view name) const {
    for (const auto& key : keys_)
        if (key.name == name) return &key;
    return nullptr;
}

std::optional<std::string> positive(const Value& value) {
    if (std::get<std::int64_t>(value) <= 0) return "must be greater than 0";
    return std::nullopt;
}

std::optional<std::string> not_negative(const Value& value) {
    if (std::get<std::int64_t>(value) < 0) return "must not be negative";
    return std::nullopt;
}

Value parse_value(const Key& key, std::string_view text, const std::string& origin) {
    switch (key.kind) {
        case Kind::String:
            return std::string(text);
        case Kind::Integer:
            if (auto n = strings::parse_i64(strings::trim(text))) return *n;
            break;
        case Kind::Size:
            if (auto n = strings::parse_size(text); n && *n <= std::uint64_t(INT64_MAX))
                return std::int64_t(*n);
            break;
        case Kind::DurationMs:
            if (auto n = parse_duration_ms(text)) return *n;
            break;
        case Kind::Boolean: {
            std::string lower = strings::to_lower(strings::trim(text));
            if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") return true;
            if (lower == "false" || lower == "0" || lower == "no" || lower == "off") return false;
            break;
        }
        case Kind::StringList: {
            std::vector<std::string> items;
            for (auto part : strings::split(text, ','))
                if (auto item = strings::trim(part); !item.empty()) items.emplace_back(item);
            return items;
        }
    }
    fail(key.name, origin, "'" + std::string(text) + "' is not " + kind_name(key.kind));
}

std::vector<Override> overrides_from_environment(char** envp) {
    std::vector<Override> out;
    for (char** var = envp; var && *var; ++var) {
        std::string_view entry(*var);
        if (!entry.starts_with("FAMIGO_")) continue;
        size_t eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        std::string_view name = entry.substr(0, eq);
        std::string_view rest = name.substr(std::strlen("FAMIGO_"));
        size_t sep = rest.find("__");
        if (sep == std::string_view::npos) continue;
        std::string key =
            strings::to_lower(rest.substr(0, sep)) + "." + strings::to_lower(rest.substr(sep + 2));
        out.push_back({key, std::string(entry.substr(eq + 1)), "env " + std::string(name)});
    }
    return out;
}

Config Config::load(const Schema& schema, const Sources& sources) {
    Config config;
    for (const auto& key : schema.keys()) {
        Value value = parse_value(key, key.default_text, "default");
        config.entries_.emplace(key.name, Entry{&key, std::move(value), "default"});
    }
    auto set = [&](const Key& key, Value value, const std::string& origin) {
        run_check(key, value, origin);
        auto& entry = config.entries_.at(key.name);
        entry.value = std::move(value);
        entry.origin = origin;
    };

    if (sources.file) {
        const std::string path = sources.file->string();
        toml::table root;
        try {
            root = toml::parse_file(path);
        } catch (const toml::parse_error& e) {
            std::ostringstream msg;
            msg << "cannot parse " << path << ":" << e.source().begin.line << ": "
                << e.description();
            throw ConfigError(msg.str());
        }
        // Walk nested tables; each leaf's dotted path must be a declared key.
        std::function<void(const toml::table&, const std::string&)> walk =
            [&](const toml::table& table, const std::string& prefix) {
                for (const auto& [name, node] : table) {
                    std::string dotted = prefix + std::string(name.str());
                    std::string origin = path + ":" + std::to_string(node.source().begin.line);
                    const Key* key = schema.find(dotted);
                    if (!key && node.is_table()) {
                        walk(*node.as_table(), dotted + ".");
                        continue;
                    }
                    if (!key) fail(dotted, origin, "unknown key");
                    set(*key, from_toml(*key, node, origin), origin);
                }
            };
        walk(root, "");
    }

    for (const auto& override : sources.overrides) {
        const Key* key = schema.find(override.key);
        if (!key) fail(override.key, override.origin, "unknown key");
        set(*key, parse_value(*key, override.value, override.origin), override.origin);
    }
    return config;
}

const Config::Entry& Config::entry(std::string_view key) const {
    auto it = entries_.find(key);
    if (it == entries_.end()) throw Error("config key not declared: " + std::string(key));
    return it->second;
}

const std::string& Config::str(std::string_view key) const {
    return std::get<std::string>(entry(key).value);
}
std::int64_t Config::integer(std::string_view key) const {
    return std::get<std::int64_t>(entry(key).value);
}
bool Config::boolean(std::string_view key) const {
    return std::get<bool>(entry(key).value);
}
const std::vector<std::string>& Config::list(std::string_view key) const {
    return std::get<std::vector<std::string>>(entry(key).value);
}
const std::string& Config::origin(std::string_view key) const {
    return entry(key).origin;
}

std::string Config::describe() const {
    std::string out;
    for (const auto& [name, entry] : entries_) {
        std::string value = format_value(entry.value);
        if (entry.key->secret && !value.empty())
            value = "(hidden, " + std::to_string(value.size()) +
                    (value.size() == 1 ? " character)" : " characters)");
        out += name + " = " + value + "    # " + entry.origin + "\n";
    }
    return out;
}

}  // namespace famigo::config
