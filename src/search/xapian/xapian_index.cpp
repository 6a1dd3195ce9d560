#include "search/xapian/xapian_index.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <type_traits>
#include <unordered_set>

#include "search/xapian/xapian_query.hpp"

namespace famigo::search {
namespace {

namespace fs = std::filesystem;
using namespace xapian_detail;

constexpr std::size_t kIdleReaders = 16;
constexpr const char* kStub = "current";

std::string read_generation(const fs::path& dir) {
    std::ifstream in(dir / kStub);
    std::string word, name;
    if (!(in >> word >> name) || word != "auto" || name.find('/') != std::string::npos)
        throw Unavailable("search index " + dir.string() + ": no readable 'current' stub");
    return name;
}

// Writes `current` naming `generation` (Xapian's stub format) with a rename,
// which is atomic: readers see the old generation or the new one.
void write_generation(const fs::path& dir, const std::string& generation) {
    fs::path tmp = dir / (std::string(kStub) + ".tmp-" + std::to_string(getpid()));
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << "auto " << generation << "\n";
        out.flush();
        if (!out) throw Unavailable("cannot write " + tmp.string());
    }
    fs::rename(tmp, dir / kStub);
}

// Identifies the stub file's version: a rename gives it a new inode.
struct Stamp {
    ino_t inode = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const Stamp&) const = default;
};

Stamp stamp_of(const fs::path& stub) {
    struct stat st {};
    if (::stat(stub.c_str(), &st) != 0) return {};
    return {st.st_ino, std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

// Where the documents of an index in prior bands go (xapian_query.hpp): the
// next free id of each band, read from the index's metadata when a writer
// opens and written back with each batch, so one commit keeps them true.
struct BandPlacer {
    std::vector<Xapian::docid> used = std::vector<Xapian::docid>(kPriorBands, 0);

    void load(const Xapian::Database& db) {
        for (unsigned b = 0; b < kPriorBands; ++b) {
            std::string v = db.get_metadata(band_key(b));
            used[b] = v.empty() ? 0 : Xapian::docid(std::stoul(v));
        }
    }
    Xapian::docid take(unsigned band) {
        if (used[band] >= kBandSize)
            throw Error("search index: prior band " + std::to_string(band) +
                        " is full; run famigo reindex");
        return Xapian::docid(band) * kBandSize + ++used[band];
    }
    void save(Xapian::WritableDatabase& db) const {
        for (unsigned b = 0; b < kPriorBands; ++b)
            if (used[b]) db.set_metadata(band_key(b), std::to_string(used[b]));
    }
};

// Adds or replaces `doc` in a banded index: in place when its prior keeps it
// in the band of its id, else removed there and added at its band's next id.
void place_in_band(Xapian::WritableDatabase& db, BandPlacer& placer, const Schema& schema,
                   const Document& doc, const Xapian::Stem& stem,
                   std::vector<std::string>& spelling) {
    std::string id_term = "Q" + doc.id;
    unsigned band = prior_band(doc.prior);
    Xapian::docid docid = 0;
    if (auto p = db.postlist_begin(id_term); p != db.postlist_end(id_term)) {
        docid = *p;
        if ((docid - 1) / kBandSize != band) {
            db.delete_document(docid);
            docid = 0;
        }
    }
    if (docid == 0) docid = placer.take(band);
    db.replace_document(docid, make_document(schema, doc, stem, spelling, docid));
}

class XapianIndex;

class XapianRebuild : public Rebuild {
  public:
    XapianRebuild(XapianIndex& owner, fs::path dir, std::string generation);
    ~XapianRebuild() override;
    void add(std::span<const Document> documents) override;
    void finish() override;

  private:
    XapianIndex& owner_;
    fs::path dir_;
    std::string generation_;
    Xapian::WritableDatabase db_;
    Xapian::Stem stem_{"english"};
    BandPlacer placer_;
    std::unordered_set<std::string> ids_;  // a repeated id replaces its document
    bool finished_ = false;
};

class XapianIndex : public Index {
  public:
    XapianIndex(fs::path dir, Schema schema) : Index(std::move(schema)), dir_(std::move(dir)) {
        try {
            fs::create_directories(dir_);
            if (!fs::exists(dir_ / kStub)) {
                Xapian::WritableDatabase db(path_of("gen-0"), Xapian::DB_CREATE_OR_OPEN);
                if (db.get_doccount() == 0) db.set_metadata(kOrderKey, kOrderPriorBands);
                db.commit();
                db.close();
                write_generation(dir_, "gen-0");
            }
            refresh();
        } catch (const Xapian::Error& e) {
            throw Unavailable("search index " + dir_.string() + ": " + e.get_description());
        } catch (const fs::filesystem_error& e) {
            throw Unavailable("search index " + dir_.string() + ": " + e.what());
        }
    }

    void upsert(std::span<const Document> documents) override {
        check(documents);
        write([&](Xapian::WritableDatabase& db) {
            std::vector<std::string> spelling;
            if (placer_) {
                for (const auto& doc : documents)
                    place_in_band(db, *placer_, schema(), doc, stem_, spelling);
                placer_->save(db);
            } else {
                for (const auto& doc : documents)
                    db.replace_document("Q" + doc.id,
                                        make_document(schema(), doc, stem_, spelling));
            }
            for (const auto& w : spelling) db.add_spelling(w);
        });
    }

    void remove(std::span<const std::string> ids) override {
        write([&](Xapian::WritableDatabase& db) {
            for (const auto& id : ids) db.delete_document("Q" + id);
        });
    }

    void commit() override {
        std::lock_guard lock(write_mutex_);
        if (!writer_) return;
        try {
            writer_->commit();
            writer_->close();  // frees Xapian's lock for other processes
        } catch (const Xapian::Error& e) {
            close_writer();
            throw Unavailable("search index commit: " + e.get_description());
        }
        close_writer();
    }

    Result query(const Query& q) override {
        check(q);
        return read([&](const Xapian::Database& db) {
            return run_query(db, schema(), q, stem_, vocabulary(db).get(), has_prior_bands(db));
        });
    }

    std::string suggest(const std::string& text) override {
        auto clauses = parse(text);
        return read([&](const Xapian::Database& db) { return suggest_text(db, clauses); });
    }

    Stats stats() override {
        std::string generation;
        auto count =
            read([&](const Xapian::Database& db) { return db.get_doccount(); }, &generation);
        return {std::uint64_t(count), generation};
    }

    std::unique_ptr<Rebuild> rebuild() override {
        auto now = std::chrono::system_clock::now().time_since_epoch();
        std::string generation =
            "gen-" +
            std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()) +
            "-" + std::to_string(getpid());
        try {
            return std::make_unique<XapianRebuild>(*this, dir_, generation);
        } catch (const Xapian::Error& e) {
            throw Unavailable("search rebuild: " + e.get_description());
        }
    }

    std::string describe() const override { return "xapian://" + dir_.string(); }

    std::string path_of(const std::string& generation) const {
        return (dir_ / generation).string();
    }

    // Makes `generation` current and removes the others.
    void swap_to(const std::string& generation) {
        std::lock_guard wlock(write_mutex_);
        close_writer();
        write_generation(dir_, generation);
        refresh();
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir_, ec)) {
            std::string name = entry.path().filename().string();
            if (name.starts_with("gen-") && name != generation) fs::remove_all(entry.path(), ec);
        }
    }

  private:
    // The vocabulary of the revision `db` reads, loaded once per revision (a
    // commit or a rebuild makes a new one); queries share it.
    std::shared_ptr<const Vocabulary> vocabulary(const Xapian::Database& db) {
        std::string key = db.get_uuid() + ":" + std::to_string(db.get_revision());
        std::lock_guard lock(vocabulary_mutex_);
        if (key != vocabulary_key_) {
            vocabulary_ = load_vocabulary(db);
            vocabulary_key_ = key;
        }
        return vocabulary_;
    }

    // Re-reads the stub when it changed; drops readers of an old generation.
    void refresh() {
        std::lock_guard lock(read_mutex_);
        Stamp now = stamp_of(dir_ / kStub);
        if (now == stamp_ && !generation_.empty()) return;
        std::string generation = read_generation(dir_);
        stamp_ = now;
        if (generation != generation_) {
            generation_ = generation;
            idle_.clear();
        }
    }

    template <class F>
    std::invoke_result_t<F&, const Xapian::Database&> read(F&& f,
                                                           std::string* generation_out = nullptr) {
        for (int attempt = 0;; ++attempt) {
            try {
                refresh();
                std::unique_ptr<Xapian::Database> db;
                std::string generation;
                {
                    std::lock_guard lock(read_mutex_);
                    generation = generation_;
                    if (!idle_.empty()) {
                        db = std::move(idle_.back());
                        idle_.pop_back();
                    }
                }
                if (db)
                    db->reopen();
                else
                    db = std::make_unique<Xapian::Database>(path_of(generation));
                auto out = f(*db);
                if (generation_out) *generation_out = generation;
                std::lock_guard lock(read_mutex_);
                if (generation == generation_ && idle_.size() < kIdleReaders)
                    idle_.push_back(std::move(db));
                return out;
            } catch (const Xapian::DatabaseModifiedError&) {
                if (attempt >= 2) throw Unavailable("search index keeps changing under the reader");
            } catch (const Xapian::DatabaseOpeningError& e) {
                // A rebuild swapped generations between the stub read and the open.
                if (attempt >= 2) throw Unavailable("search index: " + e.get_description());
            } catch (const Xapian::Error& e) {
                throw Unavailable("search index: " + e.get_description());
            }
        }
    }

    template <class F>
    void write(F&& f) {
        std::lock_guard lock(write_mutex_);
        try {
            if (!writer_) {
                refresh();
                std::string generation;
                {
                    std::lock_guard rlock(read_mutex_);
                    generation = generation_;
                }
                writer_ = std::make_unique<Xapian::WritableDatabase>(path_of(generation),
                                                                     Xapian::DB_CREATE_OR_OPEN);
                if (has_prior_bands(*writer_)) {
                    placer_.emplace();
                    placer_->load(*writer_);
                }
            }
            f(*writer_);
        } catch (const Xapian::DatabaseLockError& e) {
            throw Unavailable("search index is being written by another process: " +
                              e.get_description());
        } catch (const Xapian::Error& e) {
            close_writer();
            throw Unavailable("search index write: " + e.get_description());
        }
    }

    // The band counters belong to the writer's session: another process may
    // write between two of ours.
    void close_writer() {
        writer_.reset();
        placer_.reset();
    }

    fs::path dir_;
    Xapian::Stem stem_{"english"};
    std::mutex read_mutex_;  // generation_, stamp_, idle_
    std::string generation_;
    Stamp stamp_;
    std::vector<std::unique_ptr<Xapian::Database>> idle_;
    std::mutex vocabulary_mutex_;  // vocabulary_, vocabulary_key_
    std::shared_ptr<const Vocabulary> vocabulary_;
    std::string vocabulary_key_;
    std::mutex write_mutex_;  // writer_, placer_
    std::unique_ptr<Xapian::WritableDatabase> writer_;
    std::optional<BandPlacer> placer_;  // when the index is in prior bands
};

XapianRebuild::XapianRebuild(XapianIndex& owner, fs::path dir, std::string generation)
    : owner_(owner),
      dir_(std::move(dir)),
      generation_(std::move(generation)),
      db_(owner.path_of(generation_), Xapian::DB_CREATE_OR_OVERWRITE) {
    db_.set_metadata(kOrderKey, kOrderPriorBands);
}

XapianRebuild::~XapianRebuild() {
    if (finished_) return;
    try {
        db_.close();
    } catch (const Xapian::Error&) {
    }
    std::error_code ec;
    fs::remove_all(dir_ / generation_, ec);
}

void XapianRebuild::add(std::span<const Document> documents) {
    owner_.check(documents);
    try {
        std::vector<std::string> spelling;
        for (const auto& doc : documents) {
            if (ids_.insert(doc.id).second) {
                Xapian::docid docid = placer_.take(prior_band(doc.prior));
                db_.replace_document(docid,
                                     make_document(owner_.schema(), doc, stem_, spelling, docid));
            } else {
                place_in_band(db_, placer_, owner_.schema(), doc, stem_, spelling);
            }
        }
        for (const auto& w : spelling) db_.add_spelling(w);
    } catch (const Xapian::Error& e) {
        throw Unavailable("search rebuild: " + e.get_description());
    }
}

void XapianRebuild::finish() {
    try {
        placer_.save(db_);
        db_.commit();
        db_.close();
    } catch (const Xapian::Error& e) {
        throw Unavailable("search rebuild: " + e.get_description());
    }
    owner_.swap_to(generation_);
    finished_ = true;
}

}  // namespace

std::unique_ptr<Index> open_xapian(const std::filesystem::path& dir, Schema schema) {
    return std::make_unique<XapianIndex>(dir, std::move(schema));
}

}  // namespace famigo::search
