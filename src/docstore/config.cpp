#include "docstore/config.hpp"

namespace famigo::docstore {
namespace {

std::optional<std::string> store_url(const config::Value& value) {
    const auto& url = std::get<std::string>(value);
    if (url.starts_with("sqlite://") && url.size() > 9) return std::nullopt;
    if (url.starts_with("mongodb://") || url.starts_with("mongodb+srv://")) return std::nullopt;
    if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return std::nullopt;
    return "must be sqlite:///abs/path, sqlite://rel/path, mongodb://host:port/db or "
           "postgresql://host:port/db";
}

std::optional<std::string> write_concern(const config::Value& value) {
    const auto& w = std::get<std::string>(value);
    if (w == "majority") return std::nullopt;
    if (!w.empty() && w.size() < 4 && w.find_first_not_of("0123456789") == std::string::npos)
        return std::nullopt;
    return "must be 'majority' or a number of servers";
}

}  // namespace

void define_config(config::Schema& schema) {
    using config::Kind;
    schema
        .add(
            {"store.url", Kind::String, "sqlite://var/famigo.db",
             "document store: sqlite:///abs/path, sqlite://rel/path (from the working directory), "
             "mongodb://host:port/db?options or postgresql://host[:port][,host2[:port]]/db?options",
             store_url})
        .add({"store.busy_timeout", Kind::DurationMs, "5s",
              "SQLite: how long a write waits for another writer's lock before failing",
              config::positive})
        .add({"store.write_concern", Kind::String, "majority",
              "MongoDB: write concern w of every write, 'majority' or a number", write_concern})
        .add({"store.journal",
              Kind::Boolean,
              "true",
              "MongoDB: acknowledge writes only once they are in the journal (j)",
              {}})
        .add({"store.timeout", Kind::DurationMs, "10s",
              "MongoDB: server selection, connect and socket timeout; PostgreSQL: connect and TCP "
              "user timeout",
              config::positive});
}

StoreOptions store_options(const config::Config& config) {
    StoreOptions options;
    options.url = config.str("store.url");
    options.busy_timeout = std::chrono::milliseconds(config.integer("store.busy_timeout"));
    options.write_concern = config.str("store.write_concern");
    options.journal = config.boolean("store.journal");
    options.timeout = std::chrono::milliseconds(config.integer("store.timeout"));
    return options;
}

}  // namespace famigo::docstore
