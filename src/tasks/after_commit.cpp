#include "tasks/after_commit.hpp"

namespace famigo::tasks {

void AfterCommit::enqueue(std::string name, Json args, Json kwargs, EnqueueOptions options) {
    check_name("task name", name);
    check_name("queue name", options.queue);
    if (!args.is_array()) throw BadTask("task args must be a JSON array");
    if (!kwargs.is_object()) throw BadTask("task kwargs must be a JSON object");
    pending_.push_back({std::move(name), std::move(args), std::move(kwargs), std::move(options)});
}

std::vector<std::string> AfterCommit::commit() {
    std::vector<std::string> ids;
    std::size_t sent = 0;
    try {
        for (; sent < pending_.size(); ++sent) {
            const Pending& p = pending_[sent];
            ids.push_back(broker_.enqueue(p.name, p.args, p.kwargs, p.options));
        }
    } catch (...) {
        pending_.erase(pending_.begin(), pending_.begin() + std::ptrdiff_t(sent));
        throw;
    }
    pending_.clear();
    return ids;
}

}  // namespace famigo::tasks
