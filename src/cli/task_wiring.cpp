#include "cli/task_wiring.hpp"

#include "apps/catalog/generation.hpp"
#include "apps/catalog/search_docs.hpp"
#include "docstore/backup_drill.hpp"
#include "mail/smtp.hpp"
#include "search/factory.hpp"
#include "search/service.hpp"
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
    // search::Unavailable propagates: the worker retries with backoff, so
    // updates made while Solr is down reach it when it is back.
    registry.add_typed<tasks::Json, tasks::Json>(
        kIndexAppsTask, {"ids"}, [deps](const tasks::Json& ids) {
            if (!ids.is_array()) throw tasks::BadArguments("'ids' must be a list of app ids");
            std::vector<std::string> list;
            for (const auto& id : ids) {
                if (!id.is_string()) throw tasks::BadArguments("'ids' must be a list of app ids");
                list.push_back(id.get<std::string>());
            }
            auto report = apps::catalog::index_apps(deps.store, deps.search.index(), list);
            // Cached search pages show the index as it was: drop them.
            if (report.upserted + report.removed > 0) apps::catalog::bump_generation(deps.store);
            return tasks::Json{{"upserted", report.upserted}, {"removed", report.removed}};
        });
}

}  // namespace famigo::cli
