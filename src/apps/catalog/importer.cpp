#include "apps/catalog/importer.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <unordered_map>

#include "apps/catalog/csv.hpp"
#include "apps/catalog/generation.hpp"
#include "apps/catalog/present.hpp"
#include "docstore/errors.hpp"

namespace famigo::apps::catalog {
namespace fs = std::filesystem;
namespace {

// The fields an import owns. Everything else (slug, developer, icon and
// screenshots, age band once set, descriptors, review, approved, published)
// belongs to editors and is written only when the app is first inserted.
const std::vector<std::string> kStoreFields = {
    "title",        "title_key", "platform",   "store_id",     "store_url",      "price",
    "currency",     "free",      "category",   "genres",       "content_rating", "rating",
    "rating_count", "installs",  "size_bytes", "last_updated", "version"};

const docstore::Document& value_at(const docstore::Document& doc, const std::string& name) {
    static const docstore::Document kNull;
    auto it = doc.find(name);
    return it == doc.end() ? kNull : *it;
}

// What to change in `stored` so its store fields are those of `fresh`; empty when nothing.
docstore::Update store_changes(const docstore::Document& stored, const docstore::Document& fresh) {
    docstore::Update update;
    for (const auto& name : kStoreFields) {
        const auto& now = value_at(fresh, name);
        if (docstore::values_equal(value_at(stored, name), now)) continue;
        if (now.is_null())
            update.unset(name);
        else
            update.set(name, now);
    }
    // The age band follows a new content rating unless an editor changed it.
    const auto& old_rating = value_at(stored, "content_rating");
    const auto& new_rating = value_at(fresh, "content_rating");
    if (!docstore::values_equal(old_rating, new_rating)) {
        std::string derived =
            age_band_for(old_rating.is_string() ? old_rating.get<std::string>() : "");
        if (value_at(stored, "age_band") == docstore::Document(derived) ||
            value_at(stored, "age_band").is_null())
            update.set("age_band", value_at(fresh, "age_band"));
    }
    return update;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One app as read: the last row of its source_id wins.
// Google Play lists some apps under two categories (a row each, e.g.
// "Coloring book moana" in ART_AND_DESIGN and in FAMILY). The last row wins,
// but what the earlier rows said the app is stays searchable: their genres,
// and their category's name as a genre, join the winner's genres (up to the
// model's 10).
void keep_listing_genres(App& winner, const App& earlier) {
    auto keep = [&](const std::string& genre) {
        if (genre.empty() || winner.genres.size() >= 10) return;
        if (std::find(winner.genres.begin(), winner.genres.end(), genre) == winner.genres.end())
            winner.genres.push_back(genre);
    };
    for (const auto& genre : earlier.genres) keep(genre);
    if (earlier.category != winner.category) keep(category_name(earlier.category));
}

struct Pending {
    App app;
    std::size_t file = 0;  // index into the report's files
    std::uint64_t line = 0;
};

class Run {
  public:
    Run(docstore::Store& store, const ImportOptions& options)
        : apps_(store.collection(App::model().info().collection)),
          store_(store),
          options_(options) {}

    ImportReport run(const std::vector<fs::path>& files) {
        std::vector<SourceLayout> layouts;
        for (const auto& file : files) layouts.push_back(detect_file(file));
        auto start = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < files.size(); ++i) read_file(files[i], layouts[i], i);
        report_.read_seconds = seconds_since(start);
        start = std::chrono::steady_clock::now();
        load_stored();
        write();
        if (report_.changed()) bump_generation();
        report_.write_seconds = seconds_since(start);
        return std::move(report_);
    }

  private:
    void read_file(const fs::path& path, const SourceLayout& layout, std::size_t index) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw ImportError(path.string() + ": cannot be read");
        std::uint64_t size = fs::file_size(path);
        FileStats& stats = report_.files.emplace_back();
        stats.file = path.string();
        stats.kind = layout.kind;
        std::string name = path.filename().string();
        CsvReader reader(in);
        std::vector<std::string> row;
        try {
            reader.next(row);  // the header, checked by detect_file
            while (reader.next(row)) {
                if (row.size() == 1 && row[0].empty()) continue;  // a blank line
                ++stats.read;
                read_row(layout, row, index, reader.line());
                if (options_.progress)
                    options_.progress(name, std::uint64_t(stats.read), reader.bytes_read(), size);
            }
        } catch (const CsvError& e) {
            throw ImportError(path.string() + ":" + std::to_string(e.line()) + ": " +
                              std::string(e.what()).substr(std::string(e.what()).find(": ") + 2));
        }
        if (options_.progress) options_.progress(name, std::uint64_t(stats.read), size, size);
    }

    void read_row(const SourceLayout& layout, const std::vector<std::string>& row, std::size_t file,
                  std::uint64_t line) {
        Mapped mapped = map_row(layout, row);
        if (!mapped.problems.empty()) {
            std::string reason;
            for (const auto& problem : mapped.problems)
                reason += (reason.empty() ? "" : "; ") + problem;
            reject(file, line, std::move(reason));
            return;
        }
        auto [it, fresh] = by_source_.try_emplace(mapped.app.source_id, pending_.size());
        if (fresh) {
            pending_.push_back({std::move(mapped.app), file, line});
        } else {
            ++report_.files[file].duplicates;
            keep_listing_genres(mapped.app, pending_[it->second].app);
            pending_[it->second] = {std::move(mapped.app), file, line};
        }
    }

    void reject(std::size_t file, std::uint64_t line, std::string reason) {
        ++report_.files[file].rejected;
        report_.rejected.push_back(
            {fs::path(report_.files[file].file).filename().string(), line, std::move(reason)});
    }

    // Every stored app's store fields by source_id, and every slug in use.
    void load_stored() {
        docstore::FindOptions options;
        apps_.scan({}, options, [&](docstore::Document&& doc) {
            if (auto slug = doc.find("slug"); slug != doc.end() && slug->is_string())
                slugs_.insert(slug->get<std::string>());
            if (auto source = doc.find("source_id"); source != doc.end() && source->is_string()) {
                std::string key = source->get<std::string>();
                if (by_source_.count(key)) stored_.emplace(std::move(key), std::move(doc));
            }
            return true;
        });
    }

    void write() {
        std::vector<std::size_t> inserts;
        std::vector<std::pair<std::size_t, docstore::Update>> updates;
        for (std::size_t i = 0; i < pending_.size(); ++i) {
            Pending& item = pending_[i];
            auto stored = stored_.find(item.app.source_id);
            if (stored == stored_.end()) {
                item.app.slug = unique_slug(item.app.title, item.app.platform, slugs_);
                inserts.push_back(i);
                continue;
            }
            auto update = store_changes(stored->second, App::model().to_document(item.app));
            if (update.empty())
                ++report_.files[item.file].unchanged;
            else
                updates.emplace_back(i, std::move(update));
        }
        if (options_.writing) options_.writing(inserts.size(), updates.size());
        std::vector<std::size_t> batch;
        for (auto i : inserts) {
            batch.push_back(i);
            if (batch.size() >= options_.batch_size) insert(batch);
        }
        insert(batch);
        for (auto& [i, update] : updates) {
            const Pending& item = pending_[i];
            const auto& id = stored_.at(item.app.source_id).at("_id");
            apps_.update(docstore::field("_id") == id, update, {.multi = false});
            ++report_.files[item.file].updated;
            if (id.is_string()) report_.changed_ids.push_back(id.get<std::string>());
        }
    }

    // One insert_many per batch; when it fails (a concurrent writer took a
    // slug), the batch again one by one so only the offending rows are rejected.
    void insert(std::vector<std::size_t>& batch) {
        if (batch.empty()) return;
        std::vector<docstore::Document> docs;
        for (auto i : batch) docs.push_back(App::model().to_document(pending_[i].app));
        try {
            for (auto& id : apps_.insert_many(std::move(docs)))
                report_.changed_ids.push_back(std::move(id));
            for (auto i : batch) ++report_.files[pending_[i].file].inserted;
        } catch (const docstore::StoreError&) {
            for (auto i : batch) {
                Pending& item = pending_[i];
                try {
                    // MongoDB's ordered insert_many keeps what it inserted before the error.
                    if (auto done =
                            apps_.find_one(docstore::field("source_id") == item.app.source_id)) {
                        ++report_.files[item.file].inserted;
                        report_.changed_ids.push_back(done->at("_id").get<std::string>());
                        continue;
                    }
                    report_.changed_ids.push_back(apps_.insert(App::model().to_document(item.app)));
                    ++report_.files[item.file].inserted;
                } catch (const docstore::StoreError& e) {
                    reject(item.file, item.line, e.what());
                }
            }
        }
        batch.clear();
    }

    void bump_generation() { report_.generation = catalog::bump_generation(store_); }

    docstore::Collection& apps_;
    docstore::Store& store_;
    const ImportOptions& options_;
    ImportReport report_;
    std::vector<Pending> pending_;
    std::unordered_map<std::string, std::size_t> by_source_;
    std::unordered_map<std::string, docstore::Document> stored_;
    std::unordered_set<std::string> slugs_;
};

}  // namespace

FileStats& FileStats::operator+=(const FileStats& other) {
    read += other.read;
    inserted += other.inserted;
    updated += other.updated;
    unchanged += other.unchanged;
    duplicates += other.duplicates;
    rejected += other.rejected;
    return *this;
}

FileStats ImportReport::total() const {
    FileStats sum;
    sum.file = "total";
    for (const auto& file : files) sum += file;
    return sum;
}

std::vector<fs::path> expand_paths(const std::vector<std::string>& paths) {
    std::vector<fs::path> out;
    for (const auto& text : paths) {
        fs::path path(text);
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            std::vector<fs::path> found;
            for (const auto& entry : fs::directory_iterator(path, ec))
                if (entry.is_regular_file() && entry.path().extension() == ".csv")
                    found.push_back(entry.path());
            if (ec) throw ImportError(text + ": cannot be read (" + ec.message() + ")");
            if (found.empty()) throw ImportError(text + ": no .csv files in this folder");
            std::sort(found.begin(), found.end());
            out.insert(out.end(), found.begin(), found.end());
        } else if (fs::exists(path, ec)) {
            out.push_back(path);
        } else {
            throw ImportError(text + ": no such file or folder");
        }
    }
    return out;
}

SourceLayout detect_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in || fs::is_directory(file)) throw ImportError(file.string() + ": cannot be read");
    std::vector<std::string> header;
    try {
        CsvReader reader(in, {.max_field_bytes = 4096, .max_fields = 512});
        if (!reader.next(header))
            throw ImportError(file.string() + ": empty file, expected a CSV header");
    } catch (const CsvError& e) {
        throw ImportError(file.string() + ": not a CSV file with a header (" + e.what() + ")");
    }
    if (auto layout = detect_layout(header)) return *layout;
    throw ImportError(file.string() +
                      ": not a Google Play (App,Category,Rating,...) or App Store "
                      "(id,track_name,...) export: its header does not have their columns");
}

ImportReport import_catalog(docstore::Store& store, const std::vector<fs::path>& files,
                            const ImportOptions& options) {
    return Run(store, options).run(files);
}

std::string unique_slug(std::string_view title, std::string_view platform,
                        std::unordered_set<std::string>& taken) {
    std::string base = slugify(title);
    std::string slug = base;
    for (int n = 1; taken.count(slug); ++n)
        slug = base + "-" + std::string(platform) + (n > 1 ? "-" + std::to_string(n) : "");
    taken.insert(slug);
    return slug;
}

}  // namespace famigo::apps::catalog
