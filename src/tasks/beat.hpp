// `famigo beat`'s scheduler: enqueues the periodic tasks of beat.schedules
// when they are due. Any number of beat processes may run (one per host, for
// availability); only the one holding the broker's "beat" lock enqueues, and
// it renews the lock's lease every tick, so when it dies another takes over
// within beat.lease. Each entry's last run time is kept in the broker, so a
// new holder, or the same one after downtime, runs a missed slot once (not
// once per slot missed) and then follows the schedule from now. Each enqueue
// carries the idempotency key beat:<name>:<previous run>, so even two
// schedulers that both believe they hold the lock (a paused process whose
// lease ran out) enqueue one task per slot.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/config.hpp"
#include "tasks/broker.hpp"
#include "tasks/schedule.hpp"

namespace famigo::tasks {

inline constexpr std::string_view kBeatLock = "beat";

struct BeatOptions {
    std::vector<BeatEntry> entries;
    milliseconds lease{30000};  // of the lock
    milliseconds tick{1000};    // how often due entries are looked for
    std::string owner;          // this process (host:pid:random when empty)
    std::string queue{kDefaultQueue};
};

//   beat.schedules  one "NAME SCHEDULE TASK [ARGS]" line per periodic task
//   beat.lease      lease of the scheduler lock (another beat takes over after it)
//   beat.tick       how often the holder renews the lock and looks for due tasks
//   beat.queue      the queue periodic tasks are sent to
//   beat.in_serve   famigo serve runs a scheduler thread too (one machine, no
//                   separate famigo beat; several servers share the lock)
void define_beat_config(config::Schema& schema);
BeatOptions beat_options(const config::Config& config);

class Beat {
  public:
    Beat(Broker& broker, BeatOptions options);
    // One pass: take or renew the lock and, while held, enqueue every entry
    // that is due at `now`. Returns whether this process holds the lock.
    bool tick(TimePoint now);
    // Frees the lock (clean shutdown: another beat takes over at once).
    void release();
    bool leader() const { return leader_; }
    std::uint64_t enqueued() const { return enqueued_; }
    const BeatOptions& options() const { return options_; }

  private:
    void run_due(const BeatEntry& entry, TimePoint now);

    Broker& broker_;
    BeatOptions options_;
    bool leader_ = false;
    std::uint64_t enqueued_ = 0;
};

// A Beat on a thread of its own, ticking every options.tick until stop()
// (`famigo serve` with beat.in_serve). A broker error is logged and the next
// tick tries again.
class BeatThread {
  public:
    BeatThread(Broker& broker, BeatOptions options);
    ~BeatThread();  // stop()
    BeatThread(const BeatThread&) = delete;
    BeatThread& operator=(const BeatThread&) = delete;
    void start();
    // Ends the thread and frees the lock, so another scheduler takes over at once.
    void stop();

  private:
    void run();

    Beat beat_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;  // guarded by mutex_
};

}  // namespace famigo::tasks
