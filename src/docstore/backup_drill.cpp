#include "docstore/backup_drill.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <set>
#include <vector>

#include "core/log.hpp"
#include "docstore/export.hpp"

namespace famigo::docstore {
namespace {

namespace fs = std::filesystem;
using DrillClock = std::chrono::system_clock;

struct DrillContent {
    std::map<std::string, std::int64_t> counts;
    std::map<std::string, std::set<std::string>> indexes;
};

DrillContent drill_content(Store& store) {
    DrillContent c;
    for (const auto& name : store.collection_names()) {
        Collection& collection = store.collection(name);
        c.counts[name] = collection.count();
        auto& names = c.indexes[name];
        for (const auto& spec : collection.indexes()) names.insert(index_name(spec));
    }
    return c;
}

// What an export file holds, counted line by line (not its headers' counts,
// which were read before the scan and may differ under concurrent writes).
DrillContent drill_export_content(const fs::path& file) {
    DrillContent c;
    std::ifstream in(file, std::ios::binary);
    std::string line, current;
    bool ended = false;
    while (std::getline(in, line)) {
        auto doc = Document::parse(line, nullptr, false);
        if (doc.is_discarded()) throw DrillFailed("a line of the backup is not JSON");
        if (doc.is_object() && doc.contains("$collection")) {
            current = doc["$collection"].get<std::string>();
            c.counts[current] = 0;
            auto& names = c.indexes[current];
            for (const auto& spec : doc.value("indexes", Document::array()))
                names.insert(spec.value("name", ""));
        } else if (doc.is_object() && doc.contains("$end")) {
            ended = true;
        } else if (!current.empty()) {
            ++c.counts[current];
        }
    }
    if (!ended) throw DrillFailed("the backup has no end marker (truncated)");
    return c;
}

bool is_sqlite_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    char head[16] = {};
    in.read(head, sizeof head);
    return in.gcount() == 16 && std::string_view(head, 15) == "SQLite format 3";
}

std::unique_ptr<Store> drill_scratch_store(const fs::path& file) {
    StoreOptions o;
    o.url = "sqlite://" + fs::absolute(file).string();
    return open_store(o);
}

std::string backup_stamp(DrillClock::time_point now) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::time_t t = std::time_t(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[64];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%S", &tm);
    char millis[16];
    std::snprintf(millis, sizeof millis, "%03dZ", int(ms % 1000));
    return std::string(text) + millis;
}

bool is_backup_name(const std::string& name) {
    return name.starts_with("famigo-") && (name.ends_with(".db") || name.ends_with(".jsonl"));
}

fs::path drill_manifest(const fs::path& backup) {
    return backup.string() + ".drill.json";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void define_backup_config(config::Schema& schema) {
    using config::Kind;
    schema
        .add({"backup.dir", Kind::String, "var/backups",
              "where the famigo.backup task writes backups (and `famigo check backup` looks)",
              [](const config::Value& v) -> std::optional<std::string> {
                  if (std::get<std::string>(v).empty()) return "must name a directory";
                  return std::nullopt;
              }})
        .add({"backup.keep", Kind::Integer, "7",
              "how many backups that passed their restore drill the famigo.backup task keeps",
              config::positive});
}

BackupPolicy backup_policy(const config::Config& config) {
    BackupPolicy p;
    p.dir = config.str("backup.dir");
    p.keep = int(std::min<std::int64_t>(config.integer("backup.keep"), 100000));
    return p;
}

DrillReport restore_drill(const fs::path& backup, const fs::path& scratch) {
    auto start = std::chrono::steady_clock::now();
    std::error_code ec;
    fs::remove_all(scratch, ec);
    fs::create_directories(scratch);
    struct Cleanup {
        fs::path dir;
        ~Cleanup() {
            std::error_code e;
            fs::remove_all(dir, e);
        }
    } cleanup{scratch};
    auto fail = [&](const std::string& why) {
        return DrillFailed("restore drill of '" + backup.string() + "' failed: " + why);
    };
    DrillContent expected, restored;
    try {
        auto store = drill_scratch_store(scratch / "restored.db");
        if (is_sqlite_file(backup)) {
            // SQLite only ever opens copies: opening a WAL-mode file leaves
            // -wal and -shm files beside it, and the backup must stay exactly
            // as its checksum says. The restore checks the copy's checksum.
            fs::path copy = scratch / "backup.db";
            fs::copy_file(backup, copy);
            fs::copy_file(backup.string() + ".sha256", copy.string() + ".sha256");
            store->restore(copy, {}, false);
            // The snapshot's own content, read from another copy.
            fs::copy_file(backup, scratch / "expected.db");
            expected = drill_content(*drill_scratch_store(scratch / "expected.db"));
        } else {
            expected = drill_export_content(backup);
            import_store(*store, backup, {}, false);
        }
        restored = drill_content(*store);
    } catch (const std::exception& e) {  // checksum, integrity, I/O, a malformed file
        throw fail(e.what());
    }
    DrillReport report;
    report.file = backup;
    for (const auto& [name, count] : expected.counts) {
        auto it = restored.counts.find(name);
        std::int64_t got = it == restored.counts.end() ? -1 : it->second;
        if (got != count)
            throw fail("collection '" + name + "': the backup holds " + std::to_string(count) +
                       " documents, the restore has " + (got < 0 ? "none" : std::to_string(got)));
        if (restored.indexes[name] != expected.indexes[name])
            throw fail("collection '" + name + "': the restored indexes differ from the backup's");
        report.counts[name] = count;
        report.documents += count;
    }
    report.drill_seconds = seconds_since(start);
    return report;
}

DrillReport backup_with_drill(Store& store, const BackupPolicy& policy) {
    fs::create_directories(policy.dir);
    auto now = DrillClock::now();
    std::string stem = "famigo-" + backup_stamp(now);
    fs::path file = policy.dir / (stem + (store.backend() == "sqlite" ? ".db" : ".jsonl"));
    auto start = std::chrono::steady_clock::now();
    store.backup(file, {});
    double backup_seconds = seconds_since(start);
    DrillReport report = restore_drill(file, policy.dir / (".drill-" + stem));
    report.backup_seconds = backup_seconds;
    Document manifest{{"verified_at_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                             DrillClock::now().time_since_epoch())
                                             .count()},
                      {"documents", report.documents},
                      {"counts", report.counts},
                      {"backup_seconds", report.backup_seconds},
                      {"drill_seconds", report.drill_seconds}};
    {
        fs::path partial = drill_manifest(file).string() + ".partial";
        std::ofstream out(partial, std::ios::trunc);
        out << manifest.dump() << "\n";
        out.close();
        if (!out) throw Unavailable("cannot write '" + partial.string() + "'");
        fs::rename(partial, drill_manifest(file));
    }
    // Newest first; once `keep` verified backups are seen, everything older goes.
    std::vector<fs::path> backups;
    for (const auto& entry : fs::directory_iterator(policy.dir))
        if (entry.is_regular_file() && is_backup_name(entry.path().filename().string()))
            backups.push_back(entry.path());
    std::sort(backups.begin(), backups.end(), [](const fs::path& a, const fs::path& b) {
        return a.filename().string() > b.filename().string();
    });
    int verified = 0;
    for (const auto& b : backups) {
        if (verified >= policy.keep) {
            std::error_code ec;
            fs::remove(b, ec);
            fs::remove(b.string() + ".sha256", ec);
            fs::remove(drill_manifest(b), ec);
            ++report.removed;
        } else if (fs::exists(drill_manifest(b))) {
            ++verified;
        }
    }
    log::info("backup: " + file.string() + " (" + std::to_string(report.documents) +
              " documents) passed its restore drill; " + std::to_string(report.removed) +
              " old backup(s) removed");
    return report;
}

std::optional<LastBackup> last_verified_backup(const fs::path& dir) {
    std::optional<LastBackup> best;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!is_backup_name(name) || !fs::exists(drill_manifest(it->path()))) continue;
        std::ifstream in(drill_manifest(it->path()));
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto doc = Document::parse(text, nullptr, false);
        if (doc.is_discarded() || !doc.contains("verified_at_ms")) continue;
        LastBackup b;
        b.file = it->path();
        b.verified_at = DrillClock::time_point(
            std::chrono::milliseconds(doc["verified_at_ms"].get<std::int64_t>()));
        b.documents = doc.value("documents", std::int64_t(0));
        if (!best || b.verified_at > best->verified_at) best = b;
    }
    return best;
}

}  // namespace famigo::docstore
