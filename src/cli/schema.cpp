#include "cli/schema.hpp"

#include "apps/installed.hpp"
#include "assets/options.hpp"
#include "cache/factory.hpp"
#include "docstore/backup_drill.hpp"
#include "docstore/config.hpp"
#include "http/server_config.hpp"
#include "mail/smtp.hpp"
#include "ops/debug_routes.hpp"
#include "ops/metrics_access.hpp"
#include "search/factory.hpp"
#include "tasks/factory.hpp"
#include "web/auth/options.hpp"
#include "web/security/options.hpp"
#include "web/template/config.hpp"

namespace famigo::cli {

config::Schema full_schema() {
    config::Schema schema;
    schema.add({"log.level", config::Kind::String, "info", "debug, info, warn or error", {}});
    http::define_config(schema);
    assets::define_config(schema);
    docstore::define_config(schema);
    docstore::define_backup_config(schema);
    cache::define_config(schema);
    search::define_config(schema);
    tasks::define_config(schema);
    mail::define_config(schema);
    ops::define_debug_config(schema);
    ops::define_metrics_config(schema);
    web::tmpl::define_config(schema);
    web::security::define_config(schema);
    web::auth::define_config(schema);
    apps::define_config(schema);  // every installed app's keys
    return schema;
}

}  // namespace famigo::cli
