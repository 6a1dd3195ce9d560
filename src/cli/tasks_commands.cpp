// `famigo worker` (a process of task workers), `famigo beat` (the periodic
// task scheduler) and `famigo tasks` (look at and act on the queues: list,
// show, dead, retry, purge, send).
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <iostream>

#include "apps/catalog/search_docs.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/task_wiring.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "docstore/config.hpp"
#include "docstore/store.hpp"
#include "search/service.hpp"
#include "tasks/beat.hpp"
#include "tasks/factory.hpp"

namespace famigo::cli {
namespace {

std::vector<std::string> queue_list(std::string_view text) {
    std::vector<std::string> queues;
    for (auto part : strings::split(text, ',')) {
        auto name = strings::trim(part);
        if (name.empty()) continue;
        try {
            tasks::check_name("queue name", name);
        } catch (const tasks::BadTask& e) {
            throw UsageError(std::string("--queues: ") + e.what());
        }
        queues.emplace_back(name);
    }
    if (queues.empty()) throw UsageError("--queues names no queue");
    return queues;
}

std::int64_t tasks_number_flag(Args& args, std::string_view name, std::int64_t fallback,
                               std::int64_t min, std::int64_t max) {
    auto text = args.value(name);
    if (!text) return fallback;
    auto n = strings::parse_i64(*text);
    if (!n || *n < min || *n > max)
        throw UsageError(std::string(name) + " takes an integer from " + std::to_string(min) +
                         " to " + std::to_string(max) + ", got '" + *text + "'");
    return *n;
}

tasks::Json json_flag(Args& args, std::string_view name, bool object) {
    auto text = args.value(name);
    if (!text) return object ? tasks::Json::object() : tasks::Json::array();
    auto value = tasks::Json::parse(*text, nullptr, false);
    if (value.is_discarded() || (object ? !value.is_object() : !value.is_array()))
        throw UsageError(std::string(name) + " takes a JSON " + (object ? "object" : "array") +
                         ", got '" + *text + "'");
    return value;
}

std::string task_time(tasks::TimePoint t) {
    return utc_iso8601(tasks::Clock::to_time_t(t));
}

void print_task(const tasks::TaskInfo& t, std::ostream& out) {
    out << t.id << "  " << t.name << "  queue=" << t.queue << "  state=" << t.state
        << "  retries=" << t.retries << "  enqueued=" << task_time(t.enqueued_at);
    if (!t.error.empty()) out << "  error=" << t.error;
    out << "\n";
}

// Blocks SIGTERM and SIGINT in this thread (and so in every thread started
// after), then sigwait()s for them: no handler runs in a random thread.
sigset_t block_stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

}  // namespace

int cmd_worker(int argc, char** argv, char** envp) {
    Args args(argc, argv);
    auto queues = args.value("--queues");
    auto concurrency = args.value("--concurrency");
    config::Config config = load_config(args, envp);
    args.finish();
    log::set_level(log::parse_level(config.str("log.level")));

    tasks::WorkerOptions options = tasks::worker_options(config);
    if (queues) options.queues = queue_list(*queues);
    options.concurrency = 2;  // tasks.workers is serve's in-process count
    if (concurrency) {
        auto n = strings::parse_u64(*concurrency);
        if (!n || *n < 1 || *n > 256)
            throw UsageError("--concurrency takes an integer from 1 to 256, got '" + *concurrency +
                             "'");
        options.concurrency = unsigned(*n);
    }
    sigset_t stop_signals = block_stop_signals();
    auto broker = tasks::make_broker(config);
    auto store = docstore::open_store(docstore::store_options(config));
    search::Service site_search(search::search_settings(config),
                                apps::catalog::app_search_schema());
    tasks::Registry registry;
    register_tasks(registry, TaskDeps{config, *store, site_search});
    tasks::WorkerPool pool(*broker, registry, options);
    pool.start();
    std::string names;
    for (const auto& q : options.queues) names += (names.empty() ? "" : ",") + q;
    log::info("worker: " + std::to_string(options.concurrency) + " thread(s) on " +
              broker->describe() + ", queues " + names);
    int signal = 0;
    sigwait(&stop_signals, &signal);
    log::info(std::string("worker: received ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT") +
              ": no new tasks; running ones finish or are handed back");
    if (!pool.stop()) {
        // A task body still runs past tasks.shutdown_grace; its task was
        // handed back, so end the process rather than wait for it.
        log::warn("worker: exiting with a task body still running (handed back)");
        std::fflush(nullptr);
        std::_Exit(0);
    }
    log::info("worker: stopped");
    return 0;
}

int cmd_beat(int argc, char** argv, char** envp) {
    Args args(argc, argv);
    config::Config config = load_config(args, envp);
    args.finish();
    log::set_level(log::parse_level(config.str("log.level")));
    sigset_t stop_signals = block_stop_signals();
    auto broker = tasks::make_broker(config);
    tasks::Beat beat(*broker, tasks::beat_options(config));
    std::string names;
    for (const auto& e : beat.options().entries)
        names += (names.empty() ? "" : ", ") + e.name + " (" + e.schedule.text() + ")";
    log::info("beat: " + beat.options().owner + " on " + broker->describe() +
              ", schedules: " + (names.empty() ? "none" : names));
    auto tick = beat.options().tick.count();
    timespec pause{time_t(tick / 1000), long(tick % 1000) * 1000000L};
    for (;;) {
        try {
            beat.tick(tasks::Clock::now());
        } catch (const Error& e) {  // the broker is down: try again next tick
            log::warn(std::string("beat: ") + e.what());
        }
        int signal = sigtimedwait(&stop_signals, nullptr, &pause);
        if (signal == SIGTERM || signal == SIGINT) break;
    }
    try {
        beat.release();  // another beat takes over at once rather than after the lease
    } catch (const Error& e) {
        log::warn(std::string("beat: ") + e.what());
    }
    log::info("beat: stopped");
    return 0;
}

int cmd_tasks(int argc, char** argv, char** envp) {
    std::string action = argc > 1 ? argv[1] : "";
    static constexpr std::string_view kActions[] = {"list",  "show",  "dead",
                                                    "retry", "purge", "send"};
    bool known = false;
    for (auto a : kActions) known = known || a == action;
    if (!known) throw UsageError("expected `famigo tasks list|show|dead|retry|purge|send ...`");
    Args args(argc - 1, argv + 1);
    auto limit = std::size_t(tasks_number_flag(args, "--limit", 100, 1, 100000));
    tasks::Json call_args, call_kwargs;
    tasks::EnqueueOptions enqueue;
    if (action == "send") {
        call_args = json_flag(args, "--args", false);
        call_kwargs = json_flag(args, "--kwargs", true);
        if (auto q = args.value("--queue")) enqueue.queue = queue_list(*q).at(0);
        enqueue.countdown =
            tasks::milliseconds(tasks_number_flag(args, "--countdown", 0, 0, 366LL * 86400) * 1000);
        enqueue.max_retries = int(tasks_number_flag(args, "--max-retries", 3, 0, 1000));
        enqueue.idempotency_key = args.value("--idempotency-key").value_or("");
        enqueue.keep_result = !args.flag("--no-result");
    }
    config::Config config = load_config(args, envp);
    auto positional = args.positional();
    args.finish();
    auto broker = tasks::make_broker(config);
    std::ostream& out = std::cout;
    if (action == "list") {
        if (positional.size() > 1) throw UsageError("usage: famigo tasks list [QUEUE]");
        if (positional.empty()) {
            out << std::left << std::setw(24) << "queue" << std::right << std::setw(9) << "ready"
                << std::setw(11) << "scheduled" << std::setw(9) << "running" << std::setw(7)
                << "dead"
                << "  oldest ready (s)\n";
            for (const auto& q : broker->stats()) {
                out << std::left << std::setw(24) << q.queue << std::right << std::setw(9)
                    << q.ready << std::setw(11) << q.scheduled << std::setw(9) << q.running
                    << std::setw(7) << q.dead << "  " << std::fixed << std::setprecision(1)
                    << q.oldest_age_seconds << "\n";
            }
            return 0;
        }
        for (const auto& t : broker->list(positional[0], limit)) print_task(t, out);
        return 0;
    }
    if (action == "dead") {
        if (!positional.empty()) throw UsageError("usage: famigo tasks dead [--limit N]");
        for (const auto& t : broker->dead(limit)) print_task(t, out);
        return 0;
    }
    if (action == "purge") {
        if (positional.size() != 1) throw UsageError("usage: famigo tasks purge QUEUE");
        out << "purged " << broker->purge(positional[0]) << " waiting task(s) of " << positional[0]
            << "\n";
        return 0;
    }
    if (action == "send") {
        if (positional.size() != 1)
            throw UsageError("usage: famigo tasks send NAME [--args JSON] [--kwargs JSON]...");
        try {
            out << broker->enqueue(positional[0], call_args, call_kwargs, enqueue) << "\n";
        } catch (const tasks::BadTask& e) {
            throw UsageError(e.what());
        }
        return 0;
    }
    if (positional.size() != 1) throw UsageError("usage: famigo tasks " + action + " ID");
    const std::string& id = positional[0];
    if (action == "retry") {
        if (!broker->retry_dead(id)) {
            std::cerr << "famigo tasks retry: " << id << " is not a dead task\n";
            return 1;
        }
        out << "retrying " << id << "\n";
        return 0;
    }
    auto info = broker->show(id);  // show
    auto result = broker->result(id);
    if (!info && !result) {
        std::cerr << "famigo tasks show: no task " << id << "\n";
        return 1;
    }
    if (info) print_task(*info, out);
    if (info) out << "args: " << info->args.dump() << "\nkwargs: " << info->kwargs.dump() << "\n";
    if (result) out << "result: " << result->state << " " << result->value.dump() << "\n";
    return 0;
}

}  // namespace famigo::cli
