// A fixed set of threads that run views which may block (store queries,
// template rendering), with a bounded queue: when it is full, try_submit()
// refuses and the caller answers 503 instead of letting latency grow unbounded.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace famigo::http {

class WorkerPool {
  public:
    WorkerPool(unsigned threads, unsigned queue_limit);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // False when the queue is full or the pool is stopping.
    bool try_submit(std::function<void()> job);
    // Finishes queued jobs, then joins the threads.
    void stop();
    size_t queued() const;

  private:
    void run();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    std::vector<std::thread> threads_;
    unsigned queue_limit_;
    bool stopping_ = false;
};

}  // namespace famigo::http
