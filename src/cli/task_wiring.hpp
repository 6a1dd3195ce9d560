// The tasks every process that runs tasks knows (`famigo serve`'s in-process
// pool, `famigo worker`): the built-in famigo.ping and famigo.add, and the
// product's tasks, each bound to what it uses — famigo.search.index_apps
// (app ids: re-index them, sent by `famigo import` and `famigo editorial`).
// One list, so a task sent to any worker of a deployment finds its handler.
#pragma once

#include "core/config.hpp"
#include "mail/message.hpp"
#include "tasks/registry.hpp"

namespace famigo::docstore {
class Store;
}
namespace famigo::search {
class Service;
}

namespace famigo::cli {

struct TaskDeps {
    const config::Config& config;
    docstore::Store& store;
    search::Service& search;
};

inline constexpr const char* kIndexAppsTask = "famigo.search.index_apps";

void register_tasks(tasks::Registry& registry, TaskDeps deps);

// famigo.mail.send: kwargs are mail::to_json(message); a refused or
// unreachable server is retried (up to kMailRetries, backing off), a message
// that cannot be built is dead at once.
inline constexpr std::string_view kMailTask = "famigo.mail.send";
inline constexpr int kMailRetries = 8;
// Enqueues `message` (rendered parts) for sending; returns the task id.
std::string enqueue_mail(tasks::Broker& broker, const mail::Message& message);  // mail_command.cpp

}  // namespace famigo::cli
