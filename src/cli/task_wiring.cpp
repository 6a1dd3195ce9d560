#include "cli/task_wiring.hpp"

#include "apps/catalog/search_docs.hpp"
#include "docstore/backup_drill.hpp"
#include "mail/smtp.hpp"
#include "search/factory.hpp"
#include "web/auth/options.hpp"
#include "web/auth/session_stores.hpp"

namespace famigo::cli {

void register_tasks(tasks::Registry& registry, TaskDeps deps) {
    tasks::register_builtin_tasks(registry);
    // Sessions of the store engine that expired and were never met again
    // (the cache engine's expire by themselves: nothing to do there).
    registry.add_typed<std::int64_t>(
        "famigo.sessions.purge", {}, [config = &deps.config, store = &deps.store]() {
            auto options = web::auth::session_options(*config);
            if (options.engine != web::auth::SessionEngine::Store) return std::int64_t(0);
            web::auth::DocumentSessionStore sessions(*store, options.age);
            return sessions.purge_expired();
        });
    // A backup of the store with its restore drill; a failed drill throws, so
    // the task fails (retried, then a dead letter) and no old backup is deleted.
    registry.add_typed<tasks::Json>(
        "famigo.backup", {}, [config = &deps.config, store = &deps.store]() {
            auto report = docstore::backup_with_drill(*store, docstore::backup_policy(*config));
            return tasks::Json{{"file", report.file.string()},
                               {"documents", report.documents},
                               {"counts", report.counts},
                               {"removed", report.removed},
                               {"backup_seconds", report.backup_seconds},
                               {"drill_seconds", report.drill_seconds}};
        });
    // The whole catalog into a new search index, swapped in when complete; a
    // count that does not match the store's published apps fails the task.
    registry.add_typed<tasks::Json>(
        "famigo.search.reindex", {}, [config = &deps.config, store = &deps.store]() {
            auto index = search::make_index(search::search_settings(*config),
                                            apps::catalog::app_search_schema());
            auto report = apps::catalog::index_catalog(*store, *index);
            return tasks::Json{{"apps", report.apps},
                               {"indexed", report.indexed},
                               {"documents", report.documents},
                               {"generation", report.generation},
                               {"seconds", report.seconds}};
        });
    registry.add(std::string(kMailTask), [options = mail::smtp_options(deps.config)](
                                             const tasks::Json& args, const tasks::Json& kwargs) {
        if (!args.empty()) throw tasks::BadArguments("the mail goes in kwargs");
        try {
            return tasks::Json(mail::SmtpSender(options).send(mail::message_from_json(kwargs)));
        } catch (const mail::BadMessage& e) {
            throw tasks::PermanentFailure(e.what());
        }
    });
}

}  // namespace famigo::cli
