#include "cli/task_wiring.hpp"

namespace famigo::cli {

void register_tasks(tasks::Registry& registry, TaskDeps) {
    tasks::register_builtin_tasks(registry);
}

}  // namespace famigo::cli
