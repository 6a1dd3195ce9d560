// `famigo check queue` and `famigo check backup`: Nagios plugins for the task
// queues' backlog (ready tasks and the oldest one's age, per queue) and for
// the age of the newest backup that passed its restore drill. Like `famigo
// check --url`: one line of text with perfdata, exit 0 OK, 1 WARNING,
// 2 CRITICAL, 3 UNKNOWN (bad flags or configuration).
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/duration.hpp"
#include "core/strings.hpp"
#include "docstore/backup_drill.hpp"
#include "ops/check.hpp"
#include "tasks/factory.hpp"

namespace famigo::cli {
namespace {

// A threshold flag: a count, or a duration as config writes it ("90s", "26h").
std::int64_t check_threshold(Args& args, std::string_view name, std::int64_t fallback,
                             bool duration) {
    auto text = args.value(name);
    if (!text) return fallback;
    auto n = duration ? config::parse_duration_ms(*text) : strings::parse_i64(*text);
    if (!n || *n < 0)
        throw UsageError(std::string(name) + " takes " +
                         (duration ? "a duration (90s, 5m, 26h)" : "a count") + ", got '" + *text +
                         "'");
    return *n;
}

int check_level(double value, double warn, double crit) {
    if (value >= crit) return ops::kCritical;
    if (value >= warn) return ops::kWarning;
    return ops::kOk;
}

const char* check_word(int level) {
    static const char* kWords[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
    return kWords[level];
}

int check_queue(Args& args, char** envp) {
    std::int64_t warn_depth = check_threshold(args, "--warn-depth", 100, false);
    std::int64_t crit_depth = check_threshold(args, "--crit-depth", 1000, false);
    std::int64_t warn_age = check_threshold(args, "--warn-age", 60000, true);
    std::int64_t crit_age = check_threshold(args, "--crit-age", 300000, true);
    auto only = args.values("--queue");
    config::Config config = load_config(args, envp);
    args.finish();
    std::vector<tasks::QueueStats> queues;
    try {
        queues = tasks::make_broker(config)->stats();
    } catch (const Error& e) {
        std::cout << "TASKS CRITICAL - broker: " << e.what() << "\n";
        return ops::kCritical;
    }
    for (const auto& name : only)  // a named queue with nothing in it is still checked
        if (std::none_of(queues.begin(), queues.end(), [&](auto& q) { return q.queue == name; })) {
            tasks::QueueStats empty;
            empty.queue = name;
            queues.push_back(empty);
        }
    if (!only.empty())
        std::erase_if(queues, [&](auto& q) {
            return std::find(only.begin(), only.end(), q.queue) == only.end();
        });
    int level = ops::kOk;
    std::ostringstream text, perf;
    perf << std::fixed << std::setprecision(1);
    for (const auto& q : queues) {
        int l =
            std::max(check_level(double(q.ready), double(warn_depth), double(crit_depth)),
                     check_level(q.oldest_age_seconds * 1000, double(warn_age), double(crit_age)));
        level = std::max(level, l);
        if (text.tellp() > 0) text << ", ";
        text << q.queue << " " << q.ready << " ready (oldest " << std::fixed << std::setprecision(1)
             << q.oldest_age_seconds << " s, " << q.dead << " dead)";
        perf << " '" << q.queue << "_ready'=" << q.ready << ";" << warn_depth << ";" << crit_depth
             << ";0 '" << q.queue << "_oldest'=" << q.oldest_age_seconds << "s;"
             << double(warn_age) / 1000 << ";" << double(crit_age) / 1000 << ";0 '" << q.queue
             << "_dead'=" << q.dead << ";;;0";
    }
    if (queues.empty()) text << "no queues";
    std::cout << "TASKS " << check_word(level) << " - " << text.str() << " |" << perf.str() << "\n";
    return level;
}

int check_backup(Args& args, char** envp) {
    std::int64_t warn_age = check_threshold(args, "--warn-age", 26 * 3600 * 1000LL, true);
    std::int64_t crit_age = check_threshold(args, "--crit-age", 50 * 3600 * 1000LL, true);
    config::Config config = load_config(args, envp);
    args.finish();
    auto dir = docstore::backup_policy(config).dir;
    auto last = docstore::last_verified_backup(dir);
    if (!last) {
        std::cout << "BACKUP CRITICAL - no backup that passed its restore drill in " << dir.string()
                  << "\n";
        return ops::kCritical;
    }
    double age =
        std::chrono::duration<double>(std::chrono::system_clock::now() - last->verified_at).count();
    int level = check_level(age * 1000, double(warn_age), double(crit_age));
    std::cout << std::fixed << std::setprecision(0) << "BACKUP " << check_word(level) << " - "
              << last->file.filename().string() << " (" << last->documents
              << " documents) verified " << age << " s ago | age=" << age << "s;"
              << double(warn_age) / 1000 << ";" << double(crit_age) / 1000 << ";0\n";
    return level;
}

}  // namespace

int cmd_check_tasks(int argc, char** argv, char** envp) {
    std::string_view what = argv[1];
    Args args(argc - 1, argv + 1);
    try {
        return what == "queue" ? check_queue(args, envp) : check_backup(args, envp);
    } catch (const std::exception& e) {  // UsageError, ConfigError: the check itself is broken
        std::cout << (what == "queue" ? "TASKS" : "BACKUP") << " UNKNOWN - " << e.what() << "\n";
        return ops::kUnknown;
    }
}

}  // namespace famigo::cli
