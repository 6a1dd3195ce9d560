// Tasks that belong to a store write (tasks::AfterCommit): the caller names
// them while it prepares the write and they are enqueued only once the write
// has succeeded, so a write that fails (a duplicate key, a validation error,
// the store down) never leaves a task behind that acts on data that was
// never saved. Without it, "enqueue, then write" runs tasks for failed
// writes, and "write, then enqueue" by hand is easy to get wrong on the
// error paths. The gap that remains: a process that dies between the write
// and commit() loses the tasks (at most once for that window); work that
// must not be lost then is found again by a periodic job that scans the
// store, with an idempotency key so a task enqueued twice runs once.
#pragma once

#include <string>
#include <vector>

#include "tasks/broker.hpp"

namespace famigo::tasks {

class AfterCommit {
  public:
    explicit AfterCommit(Broker& broker) : broker_(broker) {}
    // Uncommitted tasks are dropped: the write they belonged to failed.
    ~AfterCommit() = default;
    AfterCommit(const AfterCommit&) = delete;
    AfterCommit& operator=(const AfterCommit&) = delete;

    // Remembers a task (checked now: a bad name throws BadTask before the
    // write is attempted); nothing is sent yet.
    void enqueue(std::string name, Json args, Json kwargs, EnqueueOptions options = {});
    // The write succeeded: enqueues the remembered tasks in order and returns
    // their ids. Throws BrokerUnavailable when the broker is down; tasks
    // already sent stay sent, the rest are kept for another commit().
    std::vector<std::string> commit();
    std::size_t pending() const { return pending_.size(); }

  private:
    struct Pending {
        std::string name;
        Json args;
        Json kwargs;
        EnqueueOptions options;
    };
    Broker& broker_;
    std::vector<Pending> pending_;
};

}  // namespace famigo::tasks
