#include "cli/schema.hpp"

#include "http/server_config.hpp"

namespace famigo::cli {

config::Schema full_schema() {
    config::Schema schema;
    schema.add({"log.level", config::Kind::String, "info", "debug, info, warn or error", {}});
    http::define_config(schema);
    return schema;
}

}  // namespace famigo::cli
