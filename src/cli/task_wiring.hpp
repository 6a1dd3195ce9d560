// The tasks every process that runs tasks knows (`famigo serve`'s in-process
// pool, `famigo worker`): the built-in famigo.ping and famigo.add, and the
// product's periodic and mail tasks, each bound to what it uses. One list,
// so a task sent to any worker of a deployment finds its handler.
#pragma once

#include "core/config.hpp"
#include "tasks/registry.hpp"

namespace famigo::docstore {
class Store;
}

namespace famigo::cli {

struct TaskDeps {
    const config::Config& config;
    docstore::Store& store;
};

void register_tasks(tasks::Registry& registry, TaskDeps deps);

}  // namespace famigo::cli
